/**
 * A throw-away local redis-server: on a free loopback port, no persistence, its own temp dir. The demo
 * (`npm run demo` without REDIS_URL) and the test harness (tests/harness/redis.ts) both start Redis
 * this way, so the demo runs on a fresh machine with nothing but the Debian package installed.
 *
 * Bound to 127.0.0.1 only: a Redis without a password must never be reachable from the network.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalRedis {
  url: string;
  port: number;
  /** Process id of redis-server (benchmarks read its CPU time). */
  pid: number;
  /** SIGTERM, then SIGKILL after 3 s; removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1 (bind 0, read it, close). */
/**
 * A port free to listen on, for a listener started later (the demo, the harness, the benchmarks name
 * their gateways' URLs before starting them). Picked below the kernel's ephemeral range (Linux: 32768
 * and up), because a port handed out by `listen(0)` comes from that range and, once closed, the kernel
 * may give it to an outgoing connection's local end before our listener binds it (EADDRINUSE seen in
 * CI). Each candidate is checked by binding it; up to 50 tries.
 */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i += 1) {
    const port = LOW_PORT + Math.floor(Math.random() * (HIGH_PORT - LOW_PORT));
    // Never the same port twice in one process: callers pick several before starting any listener.
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('no free port found below the ephemeral range after 50 tries');
}

const handedOut = new Set<number>();
const LOW_PORT = 20_000;
const HIGH_PORT = 32_768;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export function redisServerPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(
      'redis-server not found: install the Debian package "redis-server" (apt-get install -y redis-server) or set REDIS_URL',
    );
  }
  return path;
}

export function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.end();
        resolve();
      });
      sock.once('error', () => {
        sock.destroy();
        if (Date.now() > deadline)
          reject(new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

export interface StartRedisOptions {
  /** Keep the child attached to the event loop (default false: it never keeps the parent alive). */
  ref?: boolean;
  /** Where redis-server's stderr goes (default: inherited). */
  stderr?: 'inherit' | 'ignore';
  /** Listen on this port (default: a free one). Restarting an empty Redis on the same port is how tests wipe it. */
  port?: number;
}

export async function startRedisServer(options: StartRedisOptions = {}): Promise<LocalRedis> {
  const bin = redisServerPath();
  const port = options.port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'tnx-redis-'));
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: ['ignore', 'ignore', options.stderr ?? 'inherit'],
    },
  );
  if (!options.ref) child.unref();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitForPort(port, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopping: Promise<void> | null = null;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? -1,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.ref(); // an unref'd child's exit event alone would not keep the loop alive to see it
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          timer.unref();
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
