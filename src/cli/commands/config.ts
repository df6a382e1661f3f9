/**
 * `tnx config check --config FILE` (or TNX_CONFIG): the start-up validation of a gateway, run
 * without starting anything. Loads the configuration and its directory (src/config/load.ts), our
 * private key file and every partner key (imported as the gateway would), then prints a summary.
 * A bad file exits 1 with the error naming the setting; no key material is ever printed.
 *
 * Then what would start but hurt later, each printed as `error:` (exit 1) or `warning:` (exit 0):
 * the registry's key files (loaded as the registry loads them: present, mode 0600, "oct" keys, the
 * index key not a KEK), nobody able to call the API (no token, no OAuth issuer), a Redis without
 * AOF or RDB persistence (a restart empties the queues; the gateway recovers, but late), and a MongoDB
 * store allowed to run standalone (a change and its audit events are then two writes).
 *
 * With a network directory it also reports what the follower will start from: the URL (https, or
 * http on loopback — anything else was refused by the loader), the trust anchors (readable public
 * signing keys, by kid), and the last good copy on disk — absent (the first fetch must succeed before
 * the gateway is ready), verified (serial, dates, states, whether our own keys are listed), or present
 * but not verifying (ignored at start-up: a warning, not an error) — and whether its folder is writable.
 */
import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { command, CONFIG_OPTION, configPathFrom, group, type CliRun, type Values } from '../args.js';
import { loadConfigFile } from '../../config/load.js';
import type { TnxConfig } from '../../config/schema.js';
import { isTnxError, TnxError } from '../../core/errors.js';
import { withoutCredentials } from '../../core/url.js';
import { loadRegistryKeys } from '../../domain/registry/registry-keys.js';
import { probeRedis } from '../../adapters/queue-bullmq/connection.js';
import { persistenceName } from '../../adapters/queue-bullmq/redis-link.js';
import { Directory } from '../../domain/directory/directory.js';
import { isDevKeyFile, KeyRing } from '../../domain/keys/keyring.js';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { systemClock } from '../../core/clock.js';
import { isLoopbackHost } from '../../domain/directory/network.js';
import { loadTrustAnchors, verifyNetworkDirectory } from '../../domain/directory/network-jws.js';
import { ownKeysMissing } from '../../domain/directory/network-partners.js';

const USAGE = 'usage: tnx config check [--config FILE]   (default: $TNX_CONFIG)';

interface Finding {
  level: 'error' | 'warning';
  text: string;
}

/** The checks past loading: each finding says what is wrong and what to do. */
async function operationalFindings(config: TnxConfig, io: CliIo): Promise<Finding[]> {
  const findings: Finding[] = [];
  if (config.auth.tokens.length === 0 && !config.auth.oauth)
    findings.push({
      level: 'warning',
      text: 'no API token and no OAuth issuer (auth.tokens, auth.oauth): nobody can call the API; create one with `tnx token create --role ROLE`',
    });
  else
    io.out(
      `auth ${config.auth.tokens.length} token(s)${config.auth.oauth ? `, OAuth issuer ${config.auth.oauth.issuer}` : ''}`,
    );

  if (config.registry) {
    try {
      const keys = loadRegistryKeys(config.registry);
      io.out(`registry keys OK: ${keys.kek.kids.length} KEK(s), index key ${keys.indexKey.kid}`);
    } catch (err) {
      if (!isTnxError(err)) throw err;
      findings.push({ level: 'error', text: `registry keys: ${err.code}: ${err.message}` });
    }
  }

  if (config.store.kind === 'mongodb') {
    if (config.store.mongodbAllowStandalone)
      findings.push({
        level: 'warning',
        text: 'store.mongodbAllowStandalone: on a standalone MongoDB server a change and its audit events are two writes, and a crash between them loses the events — development only; production runs a replica set (docs/operations.md)',
      });
    else
      io.out(
        'store mongodb: a replica set is required (a change and its audit events are one transaction); start-up refuses a standalone server',
      );
  }

  const address = withoutCredentials(config.redis.url);
  try {
    const { persistence } = await probeRedis(config.redis.url);
    const name = persistenceName(persistence);
    io.out(`redis ${address}  persistence=${name}`);
    if (name === 'none')
      findings.push({
        level: 'warning',
        text: `Redis ${address} has neither AOF nor RDB persistence: a restart empties the queues (docs/operations.md: \`redis-cli CONFIG SET appendonly yes\`)`,
      });
  } catch (err) {
    findings.push({
      level: 'warning',
      text: `Redis ${address} did not answer (${err instanceof Error ? err.message : 'unknown error'}): its persistence is not checked; the gateway runs degraded without it`,
    });
  }
  return findings;
}

async function check(values: Values<typeof OPTIONS>, io: CliIo): Promise<number> {
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
  if (config.directory.network) await describeNetwork(config, keys, io);
  else describePartners(directory, io);
  const findings = await operationalFindings(config, io);
  for (const f of findings) io.err(`${f.level}: ${f.text}`);
  const errors = findings.filter((f) => f.level === 'error').length;
  const warnings = findings.length - errors;
  io.out(`${errors} error(s), ${warnings} warning(s)`);
  return errors > 0 ? 1 : 0;
}

function describePartners(directory: Directory, io: CliIo): void {
  const partners = directory.list();
  io.out(`partners ${partners.length}`);
  for (const p of partners) {
    io.out(`  ${p.state} ${p.name}  endpoint=${p.endpoint ?? 'none (no gateway)'}  accepts=${p.accepts.join(',')}`);
    for (const d of directory.describeKeys().filter((x) => x.state === p.state))
      io.out(`    ${d.kid}  use=${d.use}  alg=${d.alg}`);
  }
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

const OPTIONS = { ...CONFIG_OPTION } as const;

export function register(program: Command, cli: CliRun): void {
  const config = group(program, 'config', 'validate a configuration and what it points at', USAGE);
  command(config, cli, 'check', {
    summary: 'load the configuration, its keys and directory; check registry keys, tokens, Redis persistence',
    usage: USAGE,
    options: OPTIONS,
    run: check,
  });
}
