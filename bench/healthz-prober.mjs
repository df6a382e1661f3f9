/**
 * A liveness prober in a process of its own, for bench:overload: the load generator's event loop,
 * busy scheduling hundreds of requests per second, would otherwise delay the probes it times and
 * charge that delay to the gateway. Probes each URL given (GET, one keep-alive connection each) every
 * 100 ms until its stdin closes, then prints {url: [ms, …]} as one JSON line (Infinity as null).
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const urls = process.argv.slice(2);
const results = Object.fromEntries(urls.map((u) => [u, []]));
let probing = true;
process.stdin.on('end', () => (probing = false));
process.stdin.resume();

function probe(url, agent) {
  const t = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { agent, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - t : null));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
    req.end();
  });
}

await Promise.all(
  urls.map(async (url) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    while (probing) {
      results[url].push(await probe(url, agent));
      await sleep(100);
    }
    agent.destroy();
  }),
);
process.stdout.write(`${JSON.stringify(results)}\n`);
