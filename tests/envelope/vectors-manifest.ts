/** The list of TNX/1 test vectors (protocol/vectors/): one per message type and algorithm pair. */
import type { DevKeyName } from './helpers.js';

/** 2026-12-01T00:00:00Z, the fixed iat of every vector. */
export const VECTOR_IAT = 1796083200;

export interface VectorSpec {
  name: string;
  /** protocol/examples/<example>.json is the sealed message. */
  example: string;
  sender: string;
  recipient: string;
  /** Algorithm pair: JWS alg + JWE alg/enc. */
  algorithms: string;
  /** keys/dev/<senderKeys>.private.jwks.json signs; its .public.jwks.json verifies. */
  senderKeys: DevKeyName;
  /** keys/dev/<recipientKeys>.private.jwks.json opens the JWE and signs the receipt. */
  recipientKeys: DevKeyName;
}

export interface VectorManifestEntry extends VectorSpec {
  jti: string;
  iat: number;
  digest: string;
}

const EC = 'ES256 + ECDH-ES+A256KW/A256GCM';
const RSA = 'PS256 + RSA-OAEP-256/A256GCM';

export const VECTORS: VectorSpec[] = [
  {
    name: 'travel-notification.es256',
    example: 'travel-notification',
    sender: 'USA',
    recipient: 'THA',
    algorithms: EC,
    senderKeys: 'usa',
    recipientKeys: 'tha',
  },
  {
    name: 'travel-update-amend.es256',
    example: 'travel-update-amend',
    sender: 'USA',
    recipient: 'THA',
    algorithms: EC,
    senderKeys: 'usa',
    recipientKeys: 'tha',
  },
  {
    name: 'follow-up-report.es256',
    example: 'follow-up-report',
    sender: 'THA',
    recipient: 'USA',
    algorithms: EC,
    senderKeys: 'tha',
    recipientKeys: 'usa',
  },
  {
    name: 'travel-notification.ps256',
    example: 'travel-notification',
    sender: 'USA',
    recipient: 'THA',
    algorithms: RSA,
    senderKeys: 'usa-rsa',
    recipientKeys: 'tha-rsa',
  },
  {
    name: 'travel-update-amend.ps256',
    example: 'travel-update-amend',
    sender: 'USA',
    recipient: 'THA',
    algorithms: RSA,
    senderKeys: 'usa-rsa',
    recipientKeys: 'tha-rsa',
  },
  {
    name: 'follow-up-report.ps256',
    example: 'follow-up-report',
    sender: 'THA',
    recipient: 'USA',
    algorithms: RSA,
    senderKeys: 'tha-rsa',
    recipientKeys: 'usa-rsa',
  },
];
