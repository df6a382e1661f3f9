/**
 * `tnx config check --config FILE` (or TNX_CONFIG): the start-up validation of a gateway, run
 * without starting anything. Loads the configuration and its directory (src/config/load.ts), our
 * private key file and every partner key (imported as the gateway would), then prints a summary.
 * A bad file exits 1 with the error naming the setting; no key material is ever printed.
 *
 * With a network directory it also reports what the follower will start from: the URL (https, or
 * http on loopback — anything else was refused by the loader), the trust anchors (readable public
 * signing keys, by kid), and the last good copy on disk — absent (the first fetch must succeed before
 * the gateway is ready), verified (serial, dates, states, whether our own keys are listed), or present
 * but not verifying (ignored at start-up: a warning, not an error) — and whether its folder is writable.
 */
import type { CliIo } from '../io.js';
import { configPathFrom, parseCommandArgs, subcommand, withUsage } from '../args.js';
import { loadConfigFile } from '../../config/load.js';
import { TnxError } from '../../core/errors.js';
import { Directory } from '../../domain/directory/directory.js';
import { isDevKeyFile, KeyRing } from '../../domain/keys/keyring.js';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TnxConfig } from '../../config/schema.js';
import { systemClock } from '../../core/clock.js';
import { isLoopbackHost } from '../../domain/directory/network.js';
import { loadTrustAnchors, verifyNetworkDirectory } from '../../domain/directory/network-jws.js';
import { ownKeysMissing } from '../../domain/directory/network-partners.js';

const USAGE = 'usage: tnx config check [--config FILE]   (default: $TNX_CONFIG)';

async function check(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { config: { type: 'string' } });
  const path = configPathFrom(values);
  const config = loadConfigFile(path);
  const devKeys = isDevKeyFile(config.keys.privateJwksPath);
  const keys = await KeyRing.fromFile(config.keys.privateJwksPath, { allowInsecureMode: devKeys });
  const directory = new Directory(config);
  await directory.importAll();
  // A kid names one key everywhere: if one of ours were also a partner's, a message could be
  // attributed to the wrong party.
  for (const k of keys.describe()) {
    const clash = directory.describeKeys().find((d) => d.kid === k.kid);
    if (clash)
      throw new TnxError(
        'config_invalid',
        `config keys/privateJwksPath: kid ${k.kid} is also a key of partner ${clash.state}`,
        { pointer: 'keys/privateJwksPath' },
      );
  }

  io.out(`config ${config.configPath ?? path}: OK`);
  io.out(`state ${config.state} (${config.pointOfContact.unit})`);
  io.out(
    `listen ${config.http.tls ? 'https' : 'http'}://${config.http.host}:${config.http.port}  store=${config.store.kind}  roles=${
      Object.entries(config.roles)
        .filter(([, on]) => on)
        .map(([r]) => r)
        .join(',') || 'none'
    }`,
  );
  io.out(
    `own keys ${config.keys.privateJwksPath}${devKeys ? '  (DEMO KEYS from keys/dev — never use in production)' : ''}`,
  );
  const signing = keys.signingKey().kid;
  const published = new Set(keys.publicJwks().keys.map((k) => k.kid));
  for (const k of keys.describe()) {
    const status = k.retired ? 'retired' : k.kid === signing ? 'signing' : k.use === 'enc' ? 'decrypting' : 'published';
    io.out(`  ${k.kid}  use=${k.use}  alg=${k.alg}  ${status}${published.has(k.kid) ? '' : ' (not published)'}`);
  }
  if (config.directory.network) {
    await describeNetwork(config, keys, io);
    return 0;
  }
  const partners = directory.list();
  io.out(`partners ${partners.length}`);
  for (const p of partners) {
    io.out(`  ${p.state} ${p.name}  endpoint=${p.endpoint ?? 'none (no gateway)'}  accepts=${p.accepts.join(',')}`);
    for (const d of directory.describeKeys().filter((x) => x.state === p.state))
      io.out(`    ${d.kid}  use=${d.use}  alg=${d.alg}`);
  }
  return 0;
}

async function describeNetwork(config: TnxConfig, keys: KeyRing, io: CliIo): Promise<void> {
  const net = config.directory.network!;
  const url = new URL(net.url);
  const transport = url.protocol === 'https:' ? 'https' : isLoopbackHost(url.hostname) ? 'http (loopback only)' : '';
  io.out(
    `network directory ${net.name}  url=${url.origin}${url.pathname}  ${transport}  every ${net.intervalSeconds}s`,
  );
  const anchors = loadTrustAnchors(net.trustAnchorsPath);
  io.out(`  trust anchors ${net.trustAnchorsPath}: ${anchors.keys.map((k) => `${k.kid} (${k.alg})`).join(', ')}`);
  const statePath = net.statePath!;
  let writable = true;
  try {
    accessSync(dirname(statePath), constants.W_OK);
  } catch {
    writable = false;
  }
  if (!existsSync(statePath)) {
    io.out(`  last good copy ${statePath}: none yet (the gateway is ready after its first successful fetch)`);
  } else {
    try {
      const now = systemClock.now();
      const { document, kid } = await verifyNetworkDirectory(readFileSync(statePath, 'utf8'), {
        anchors,
        now,
        network: net.name,
        allowExpired: true,
        maxBytes: net.maxBytes,
      });
      const when =
        now >= Date.parse(document.expiresAt)
          ? 'EXPIRED'
          : now >= Date.parse(document.nextUpdate)
            ? 'stale'
            : 'current';
      io.out(
        `  last good copy ${statePath}: serial ${document.serial} signed by ${kid}, issued ${document.issuedAt}, ${when} (expires ${document.expiresAt}), ${document.states.length} states`,
      );
      const missing = ownKeysMissing(
        document,
        config.state,
        keys.publicJwks().keys.map((k) => k.kid),
      );
      io.out(
        missing.length === 0
          ? `  our entry ${config.state}: lists every key we hold`
          : `  WARNING our entry ${config.state}: does not list ${missing.join(', ')} (send the fragment of tnx keys rotate to the coordinator)`,
      );
    } catch (err) {
      const code = err instanceof TnxError ? err.code : 'internal_error';
      io.out(`  WARNING last good copy ${statePath}: does not verify (${code}); it will be ignored at start-up`);
    }
  }
  if (!writable) io.out(`  WARNING ${dirname(statePath)} is not writable: the last good copy cannot be kept`);
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return withUsage(io, USAGE, async () => {
    const { rest } = subcommand(args, ['check'] as const);
    return check(rest, io);
  });
}
