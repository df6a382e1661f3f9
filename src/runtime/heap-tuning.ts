/**
 * How `tnx serve` sizes V8's heap when the operator has not (gateway RSS ≤ 250 MB).
 *
 * V8 sizes its heap from the machine's memory: on 24 GB it lets the old generation grow to 4 GB and,
 * under a burst of submissions, grows the heap by up to 4× its live size before collecting again.
 * A gateway's live heap is small (≈ 40–70 MB under load, BENCHMARKS.md), so most of that growth is
 * garbage waiting to be collected: peak RSS 300 / 260 MB (sender / receiver). Two knobs hold it:
 *
 * - `--heap-growing-percent=20` caps how far the old generation grows past its live size before the
 *   next collection (BENCHMARKS.md, 2026-11-28 02:20 runs), and keeps the hard limit where it was, so a
 *   real spike still has room instead of an OOM crash. V8 reads it at every collection, so it takes
 *   effect when set at run time.
 * - `--max-semi-space-size=16` caps the young generation. Node 20's V8 (11.3) never lets a semi-space
 *   grow past 16 MB; V8 12 and later (Node 22+) let it grow to 64 MB on a machine this size (its limit
 *   now scales with memory), so under load the young generation alone commits about 130 MB instead of
 *   about 35 MB, and the growing percent above never sees it: that is why Node 24 went back to
 *   300 / 266 MB. V8 reads this limit only when it creates the heap, so setting it at run time does
 *   nothing; on those versions `tnx serve` restarts itself once, in place (same process id, through
 *   `process.execve`), with both flags on its command line, before it has loaded anything heavy.
 *
 * An operator who passes any heap flag (command line or NODE_OPTIONS) keeps exactly what they asked
 * for, and nothing is applied or restarted.
 */
import { setFlagsFromString } from 'node:v8';

export const SERVE_HEAP_GROWING_PERCENT = 20;
/** Node 20's own limit on a machine with more than 2 GB; V8 12+ would use 64. */
export const SERVE_MAX_SEMI_SPACE_MB = 16;
/** The first V8 whose semi-space limit scales past 16 MB with the machine's memory (Node 22). */
const V8_MAJOR_WITH_LARGE_YOUNG_GENERATION = 12;

const HEAP_FLAG = /^--(heap-growing-percent|max-old-space-size|max-heap-size|max-semi-space-size)(=|$)/;
/** The flags V8 reads only when it creates the heap: they work on the command line and nowhere else. */
const START_UP_ONLY = /^--max-semi-space-size=/;

export interface HeapEnvironment {
  execArgv: readonly string[];
  nodeOptions: string;
  /** process.versions.v8, e.g. "13.6.233.17-node.63". */
  v8Version: string;
}

/** The flags `tnx serve` runs with when the operator chose none (pure: the test computes them). */
export function serveHeapFlags(v8Version: string): string[] {
  const flags = [`--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`];
  if (Number.parseInt(v8Version, 10) >= V8_MAJOR_WITH_LARGE_YOUNG_GENERATION)
    flags.unshift(`--max-semi-space-size=${SERVE_MAX_SEMI_SPACE_MB}`);
  return flags;
}

/** The heap flags given on the command line and in NODE_OPTIONS, with `_` read as `-` as V8 does. */
function heapFlagsGiven({ execArgv, nodeOptions }: Pick<HeapEnvironment, 'execArgv' | 'nodeOptions'>): string[] {
  // NODE_OPTIONS is split on whitespace as Node splits it.
  return [...execArgv, ...nodeOptions.split(/\s+/)].map((f) => f.replace(/_/g, '-')).filter((f) => HEAP_FLAG.test(f));
}

export type HeapPlan =
  /** The operator chose heap flags: touch nothing. */
  | { kind: 'operator' }
  /** Our flags are on the command line already: this is the restarted process. */
  | { kind: 'in-force'; flags: string[] }
  /** Set these at run time: none of them needs a restart (Node 20). */
  | { kind: 'set'; flags: string[] }
  /** Restart with these flags on the command line: one of them is read only at start-up. */
  | { kind: 'restart'; flags: string[] };

/** What `tnx serve` must do about the heap in this process (pure: the test walks every case). */
export function planServeHeap(env: HeapEnvironment): HeapPlan {
  const flags = serveHeapFlags(env.v8Version);
  const given = heapFlagsGiven(env);
  if (given.length === 0) return { kind: flags.some((f) => START_UP_ONLY.test(f)) ? 'restart' : 'set', flags };
  const ours = given.length === flags.length && flags.every((f) => given.includes(f));
  return ours ? { kind: 'in-force', flags } : { kind: 'operator' };
}

type Execve = (file: string, args: readonly string[], env: NodeJS.ProcessEnv) => never;

/**
 * Applies the serve defaults, for `tnx serve` to call before it loads anything heavy. Returns the
 * flags in force because of them (for the start-up log) and those this Node could not apply, or null
 * when the operator chose. When a start-up-only flag is needed, the process restarts itself in place
 * and this function does not return; a Node without `process.execve` (22 before 22.15) gets the
 * run-time flag only, and `missing` names the rest.
 */
export function applyServeHeapDefaults({
  execArgv = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  v8Version = process.versions.v8,
  argv = process.argv,
  set = setFlagsFromString,
  // @types/node follows the oldest Node we support (20), which has no execve: look it up at run time.
  // null = this Node has none (a test says so explicitly: undefined would pick the real one).
  execve = (process as { execve?: Execve }).execve?.bind(process) ?? null,
}: Partial<HeapEnvironment> & {
  argv?: readonly string[];
  set?: (flag: string) => void;
  execve?: Execve | null;
} = {}): { flags: string[]; missing: string[] } | null {
  const plan = planServeHeap({ execArgv, nodeOptions, v8Version });
  switch (plan.kind) {
    case 'operator':
      return null;
    case 'in-force':
      return { flags: plan.flags, missing: [] };
    case 'set':
      for (const f of plan.flags) set(f);
      return { flags: plan.flags, missing: [] };
    case 'restart': {
      // Node's own options, then ours, then the script and its arguments as they were typed. The new
      // image finds our flags on its command line and goes on (case 'in-force').
      if (execve)
        execve(process.execPath, [process.execPath, ...execArgv, ...plan.flags, ...argv.slice(1)], process.env);
      const runTime = plan.flags.filter((f) => !START_UP_ONLY.test(f));
      for (const f of runTime) set(f);
      return { flags: runTime, missing: plan.flags.filter((f) => START_UP_ONLY.test(f)) };
    }
  }
}
