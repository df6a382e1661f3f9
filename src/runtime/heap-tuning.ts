/**
 * How `tnx serve` sizes V8's heap when the operator has not (gateway RSS ≤ 250 MB).
 *
 * V8 sizes its heap from the machine's memory: on 24 GB it lets the old generation grow to 4 GB and,
 * under a burst of submissions, grows the heap by up to 4× its live size before collecting again.
 * A gateway's live heap is small (≈ 40–70 MB under load, BENCHMARKS.md), so most of that growth is
 * garbage waiting to be collected: peak RSS 300 / 260 MB (sender / receiver). Capping the growing
 * factor at 1.2 collects earlier with the same throughput (BENCHMARKS.md, 2026-11-28 02:20 runs) and
 * keeps the hard limit where it was, so a real spike still has room instead of an OOM crash.
 *
 * `--heap-growing-percent` is read by V8 at every collection, so unlike `--max-old-space-size` it
 * takes effect when set at run time; that is why it is the knob used here. An operator who passes
 * any heap flag (command line or NODE_OPTIONS) keeps exactly what they asked for.
 */
import { setFlagsFromString } from 'node:v8';

export const SERVE_HEAP_GROWING_PERCENT = 20;

const HEAP_FLAG = /^--(heap-growing-percent|max-old-space-size|max-heap-size|max-semi-space-size)(=|$)/;

/** Applies the serve default unless a heap flag was given; returns the flag applied, or null. */
export function applyServeHeapDefaults({
  execArgv = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  set = setFlagsFromString,
}: { execArgv?: readonly string[]; nodeOptions?: string; set?: (flag: string) => void } = {}): string | null {
  // V8 accepts `_` for `-` in flag names; NODE_OPTIONS is split on whitespace as Node splits it.
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((f) => HEAP_FLAG.test(f.replace(/_/g, '-')));
  if (given) return null;
  const flag = `--heap-growing-percent=${SERVE_HEAP_GROWING_PERCENT}`;
  set(flag);
  return flag;
}
