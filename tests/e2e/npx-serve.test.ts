/**
 * `npx tnx serve` as an operator starts it: npx → npm exec → the bin → dist/ (no TypeScript loader).
 * Its start-up line says what it runs on; SIGTERM sent to the npx process reaches the gateway, which
 * shuts down cleanly (exit 0, logged) and closes its port.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import request from 'supertest';
import { REPO_ROOT } from '../../src/cli/demo/two-states.js';
import { FAST, federation, until } from './federation.js';

const VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Resolves true when something accepts a connection on `url`'s port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = connect({ host: hostname, port: Number(port) });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Processes as /proc lists them: pid, parent pid, command name and command line. */
function processes(): { pid: number; ppid: number; comm: string; cmdline: string[] }[] {
  const out = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      out.push({
        pid: Number(d),
        ppid: Number(stat.slice(close + 2).split(' ')[1]),
        comm: stat.slice(stat.indexOf('(') + 1, close),
        cmdline: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean),
      });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('e2e: npx tnx serve', function () {
  this.timeout(90_000);

  it('logs one start-up line, lists its dependencies in /readyz, and stops on SIGTERM to npx', async () => {
    const f = await federation(['USA', 'GBR'] as const, { ...FAST, log: { level: 'info' } });
    const child = spawn('npx', ['--no-install', 'tnx', 'serve', '--config', f.USA.setup.configPath], {
      cwd: REPO_ROOT,
      env: { ...process.env, TNX_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (text += d.toString('utf8')));
    const exited = new Promise<number | string>((resolve) =>
      child.once('exit', (code, sig) => resolve(code ?? sig ?? -1)),
    );
    try {
      const url = (await until('tnx serve to listen', () => /tnx serve: listening on (\S+)/.exec(text), 60_000))[1]!;
      const started = await until('the start-up line', () => jsonLines(text).find((l) => l.msg === 'gateway started'));
      assert.equal(jsonLines(text).filter((l) => l.msg === 'gateway started').length, 1, 'one start-up line');
      assert.equal(started.level, 30, 'info');
      assert.equal(started.version, VERSION);
      assert.equal(started.store, 'sqlite');
      assert.equal(started.redis, f.USA.config.redis.url.replace(/\/$/, ''));
      assert.equal(started.redisPersistence, 'none', 'the harness Redis runs with --save "" --appendonly no');
      assert.equal(started.partners, f.USA.config.directory.partners.length);
      assert.equal(started.directory, 'static');
      assert.deepEqual(started.listen, [url]);

      // The serving process is a descendant of npx, runs bin/tnx.mjs with no loader flag, and has
      // no esbuild service process (what tsx would start to compile TypeScript).
      const all = processes();
      const server = all.find(
        (p) =>
          (p.comm === 'node' || p.comm === 'MainThread') &&
          p.cmdline.includes('serve') &&
          p.cmdline.includes(f.USA.setup.configPath),
      );
      assert.ok(server, 'the gateway process');
      assert.notEqual(server.pid, child.pid, 'npx started the gateway as another process');
      assert.ok(!server.cmdline.some((a) => /tsx|--import|--loader/.test(a)), server.cmdline.join(' '));
      assert.deepEqual(
        all.filter((p) => p.ppid === server.pid && /esbuild/.test(p.comm)),
        [],
        'no TypeScript compiler beside the gateway',
      );

      const ready = await request(url).get('/readyz').expect(200);
      assert.deepEqual(Object.keys(ready.body.checks as object).sort(), ['keys', 'redis', 'store']);
      assert.match(String(ready.body.checks.redis), /neither AOF nor RDB/);

      child.kill('SIGTERM');
      assert.equal(await exited, 0, text.slice(-3000));
      const msgs = jsonLines(text).map((l) => l.msg);
      assert.ok(msgs.includes('shutting down'), 'shutdown logged');
      assert.ok(msgs.includes('gateway stopped'), 'stopped logged');
      assert.equal(await listening(url), false, 'the port is closed');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
