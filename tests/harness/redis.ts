/**
 * A real redis-server for the tests. When REDIS_URL is set it is used as is; otherwise the first
 * caller starts `redis-server` on a free loopback port (no persistence, its own temp dir) and the root
 * hook stops it after the run. When redis-server is missing, tests fail at once with one line that
 * names the Debian package.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let child: ChildProcess | null = null;
let dir: string | null = null;
let started: Promise<string> | null = null;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function redisServerPath(): string {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error('redis-server not found: install the Debian package "redis-server" (apt-get install -y redis-server) or set REDIS_URL');
  }
  return path;
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
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
        if (Date.now() > deadline) reject(new Error(`redis-server did not listen on port ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

async function start(): Promise<string> {
  const bin = redisServerPath();
  const port = await freePort();
  dir = mkdtempSync(join(tmpdir(), 'tnx-redis-'));
  child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.unref();
  await waitForPort(port, 10_000);
  return `redis://127.0.0.1:${port}`;
}

/** URL of the test Redis: REDIS_URL, or a redis-server started for this run. */
export function redisUrl(): Promise<string> {
  if (process.env.REDIS_URL) return Promise.resolve(process.env.REDIS_URL);
  started ??= start();
  return started;
}

export async function stopRedis(): Promise<void> {
  if (child && child.exitCode === null) {
    const c = child;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
      setTimeout(() => {
        c.kill('SIGKILL');
        resolve();
      }, 3000).unref();
    });
  }
  child = null;
  started = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
}

let counter = 0;
/** A key prefix / queue namespace unique to one test, so tests never see each other's keys. */
export function uniquePrefix(name = 't'): string {
  counter += 1;
  return `${name}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}
