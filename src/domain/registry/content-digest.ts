/**
 * A keyed digest of a registrant's content, stored in clear on the sealed record so that a re-import
 * or a retried create tells "unchanged" from "changed" without decrypting anything: HMAC-SHA256 under
 * the blind-index key (as the blind indexes are, so it says nothing to whoever lacks the key) over
 * the canonical JSON of the validated registrant without its id: every field the caller gives counts.
 */
import { createHmac } from 'node:crypto';
import { canonicalJson } from '../audit/chain.js';
import type { SymmetricKey } from './key-file.js';
import type { Registrant } from './registrant.js';

export function contentDigest(r: Registrant, key: SymmetricKey): string {
  const { id: _id, ...content } = r;
  return createHmac('sha256', key.secret)
    .update(`tnx.registrant-content.v1\u0000${canonicalJson(content)}`, 'utf8')
    .digest('base64url');
}
