/**
 * Regenerates protocol/vectors/ from keys/dev/ and protocol/examples/:
 *
 *   npx tsx tests/envelope/generate-vectors.ts
 *
 * Every vector is sealed with a fixed iat (VECTOR_IAT) so tests can open it with a frozen clock; jti
 * and the ciphertext are random per run, so regenerating changes every file — commit them together.
 */
import { writeFileSync } from 'node:fs';
import { seal } from '../../src/domain/protocol/envelope/seal.js';
import { signReceipt } from '../../src/domain/protocol/envelope/receipt.js';
import { ManualClock } from '../../src/core/clock.js';
import type { TnxMessage } from '../../src/domain/protocol/types.js';
import { devKeyRing, directoryOf, example, ROOT } from './helpers.js';
import { VECTOR_IAT, VECTORS, type VectorManifestEntry } from './vectors-manifest.js';

const out = new URL('protocol/vectors/', ROOT);

async function main(): Promise<void> {
  const clock = new ManualClock(VECTOR_IAT * 1000);
  const manifest: VectorManifestEntry[] = [];
  for (const v of VECTORS) {
    const message = example<TnxMessage>(v.example);
    const sealed = await seal(message, v.recipient, {
      keys: await devKeyRing(v.senderKeys),
      directory: directoryOf({ [v.recipient]: v.recipientKeys }),
      state: v.sender,
      clock,
    });
    const receipt = await signReceipt(
      {
        messageId: sealed.jti,
        digest: sealed.digest,
        receivedAt: new Date(VECTOR_IAT * 1000 + 1234).toISOString(),
        sender: v.sender,
      },
      { keys: await devKeyRing(v.recipientKeys), state: v.recipient, clock },
    );
    writeFileSync(new URL(`${v.name}.jwe`, out), sealed.jwe);
    writeFileSync(new URL(`${v.name}.receipt.jwt`, out), receipt);
    writeFileSync(new URL(`${v.name}.expected.json`, out), `${JSON.stringify(message, null, 2)}\n`);
    manifest.push({ ...v, jti: sealed.jti, iat: VECTOR_IAT, digest: sealed.digest });
  }
  writeFileSync(new URL('manifest.json', out), `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`wrote ${manifest.length} vectors to ${out.pathname}\n`);
}

await main();
