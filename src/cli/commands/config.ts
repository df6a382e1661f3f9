/**
 * `tnx config check --config FILE` (or TNX_CONFIG): the start-up validation of a gateway, run
 * without starting anything. Loads the configuration and its directory (src/config/load.ts), our
 * private key file and every partner key (imported as the gateway would), then prints a summary.
 * A bad file exits 1 with the error naming the setting; no key material is ever printed.
 */
import type { CliIo } from '../io.js';
import { configPathFrom, parseCommandArgs, subcommand, withUsage } from '../args.js';
import { loadConfigFile } from '../../config/load.js';
import { TnxError } from '../../core/errors.js';
import { Directory } from '../../domain/directory/directory.js';
import { isDevKeyFile, KeyRing } from '../../domain/keys/keyring.js';

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
  const partners = directory.list();
  io.out(`partners ${partners.length}`);
  for (const p of partners) {
    io.out(`  ${p.state} ${p.name}  endpoint=${p.endpoint ?? 'none (no gateway)'}  accepts=${p.accepts.join(',')}`);
    for (const d of directory.describeKeys().filter((x) => x.state === p.state))
      io.out(`    ${d.kid}  use=${d.use}  alg=${d.alg}`);
  }
  return 0;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  return withUsage(io, USAGE, async () => {
    const { rest } = subcommand(args, ['check'] as const);
    return check(rest, io);
  });
}
