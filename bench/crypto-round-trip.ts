/**
 * The crypto of one notification, straight from src/domain/protocol/envelope with nothing around it: seal
 * (USA) → open (GBR) → signReceipt (GBR) → verifyReceipt (USA). bench:e2e measures its ceiling with it
 * and bench:floor compares the plumbing against it, so both benchmarks price exactly the same work.
 */
import { randomUUID } from 'node:crypto';
import { sampleNotification } from '../src/cli/demo/samples.js';
import { loadConfigFile } from '../src/config/load.js';
import { Directory } from '../src/domain/directory/directory.js';
import { KeyRing } from '../src/domain/keys/keyring.js';
import { open, seal, signReceipt, verifyReceipt } from '../src/domain/protocol/envelope/index.js';
import type { TnxMessage } from '../src/domain/protocol/types.js';
import { systemClock } from '../src/core/clock.js';

/** One round trip per call; resolves with the JWE and receipt it made (real bytes for row sizes). */
export async function cryptoRoundTrip(
  usaConfigPath: string,
  gbrConfigPath: string,
): Promise<() => Promise<{ jwe: string; receipt: string }>> {
  const usaCfg = loadConfigFile(usaConfigPath);
  const gbrCfg = loadConfigFile(gbrConfigPath);
  const usaKeys = await KeyRing.fromFile(usaCfg.keys.privateJwksPath, { allowInsecureMode: true });
  const gbrKeys = await KeyRing.fromFile(gbrCfg.keys.privateJwksPath, { allowInsecureMode: true });
  const usaDir = new Directory(usaCfg);
  const gbrDir = new Directory(gbrCfg);
  await usaDir.importAll();
  await gbrDir.importAll();
  const message = {
    ...sampleNotification({ origin: 'USA', destination: 'GBR', departureAt: Date.now() + 72 * 3600_000 }),
    notificationId: randomUUID(),
    pointOfContact: usaCfg.pointOfContact,
  } as unknown as TnxMessage;
  const openCtx = {
    keys: gbrKeys,
    directory: gbrDir,
    state: 'GBR',
    clock: systemClock,
    maxMessageBytes: gbrCfg.protocol.maxMessageBytes,
    clockSkewSeconds: gbrCfg.protocol.clockSkewSeconds,
    maxMessageAgeSeconds: gbrCfg.protocol.maxMessageAgeSeconds,
  };
  return async () => {
    const sealed = await seal(message, 'GBR', { keys: usaKeys, directory: usaDir, state: 'USA', clock: systemClock });
    const opened = await open(sealed.jwe, openCtx);
    const receipt = await signReceipt(
      { messageId: opened.claims.jti, digest: opened.digest, receivedAt: new Date().toISOString(), sender: 'USA' },
      { keys: gbrKeys, state: 'GBR', clock: systemClock },
    );
    await verifyReceipt(
      receipt,
      { partner: 'GBR', messageId: sealed.jti, digest: sealed.digest },
      { directory: usaDir, state: 'USA' },
    );
    return { jwe: sealed.jwe, receipt };
  };
}
