/**
 * The envelope's work done with WebCrypto (crypto.subtle) directly and nothing else: the floor for any
 * implementation built on WebCrypto, which jose 6 uses exclusively. Measured beside raw node:crypto in
 * bench/envelope.bench.ts, it separates what our layers and jose cost from what Node's asynchronous
 * WebCrypto dispatch costs. Same JOSE layout and Concat KDF as the node:crypto baseline.
 */
import { randomBytes, webcrypto } from 'node:crypto';

const subtle = webcrypto.subtle;
type CryptoKey = webcrypto.CryptoKey;
type Jwk = Record<string, string>;
/** The members WebCrypto reads from a key as JWK (all present in our P-256 key files). */
type EcJwk = { kty: string; crv: string; x: string; y: string; d?: string };
const te = new TextEncoder();
const b64 = (b: ArrayBuffer | Uint8Array | string): string =>
  (typeof b === 'string' ? Buffer.from(b) : Buffer.from(b as ArrayBuffer)).toString('base64url');

function concatKdfInput(z: ArrayBuffer, alg: string): Buffer {
  // RFC 7518 §4.6.2, one round: counter 1 ‖ Z ‖ len(alg) ‖ alg ‖ len(apu)=0 ‖ len(apv)=0 ‖ keydatalen 256.
  const a = Buffer.from(alg);
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return Buffer.concat([u32(1), Buffer.from(z), u32(a.length), a, u32(0), u32(0), u32(256)]);
}

export interface WebCryptoKeys {
  sign: CryptoKey;
  verify: CryptoKey;
  recipientPub: CryptoKey;
  recipientPriv: CryptoKey;
  sigKid: string;
  encKid: string;
}

export async function importWebCryptoKeys(sigJwk: Jwk, encJwk: Jwk): Promise<WebCryptoKeys> {
  const pub = (j: Jwk): EcJwk => ({ kty: j.kty!, crv: j.crv!, x: j.x!, y: j.y! });
  const ecdsa = { name: 'ECDSA', namedCurve: 'P-256' };
  const ecdh = { name: 'ECDH', namedCurve: 'P-256' };
  return {
    sign: await subtle.importKey('jwk', { ...pub(sigJwk), d: sigJwk.d! }, ecdsa, false, ['sign']),
    verify: await subtle.importKey('jwk', pub(sigJwk), ecdsa, false, ['verify']),
    recipientPub: await subtle.importKey('jwk', pub(encJwk), ecdh, false, []),
    recipientPriv: await subtle.importKey('jwk', { ...pub(encJwk), d: encJwk.d! }, ecdh, false, ['deriveBits']),
    sigKid: sigJwk.kid ?? '',
    encKid: encJwk.kid ?? '',
  };
}

export async function webCryptoSeal(claims: unknown, k: WebCryptoKeys): Promise<string> {
  const input = `${b64(JSON.stringify({ alg: 'ES256', typ: 'tnx+jwt', kid: k.sigKid }))}.${b64(JSON.stringify(claims))}`;
  const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, k.sign, te.encode(input));
  const jws = `${input}.${b64(sig)}`;
  const eph = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const z = await subtle.deriveBits({ name: 'ECDH', public: k.recipientPub }, eph.privateKey, 256);
  const kek = await subtle.importKey(
    'raw',
    await subtle.digest('SHA-256', concatKdfInput(z, 'ECDH-ES+A256KW')),
    'AES-KW',
    false,
    ['wrapKey'],
  );
  const cek = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const encryptedKey = await subtle.wrapKey('raw', cek, kek, 'AES-KW');
  const { kty, crv, x, y } = await subtle.exportKey('jwk', eph.publicKey);
  const header = b64(
    JSON.stringify({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: k.encKid, cty: 'JWT', epk: { kty, crv, x, y } }),
  );
  const iv = randomBytes(12);
  const sealed = Buffer.from(
    await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: te.encode(header) }, cek, te.encode(jws)),
  );
  return `${header}.${b64(encryptedKey)}.${b64(iv)}.${b64(sealed.subarray(0, -16))}.${b64(sealed.subarray(-16))}`;
}

export async function webCryptoOpen(jwe: string, k: WebCryptoKeys): Promise<unknown> {
  const [h, ek, iv, ct, tag] = jwe.split('.') as [string, string, string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { epk: Jwk };
  const epk = await subtle.importKey('jwk', header.epk, { name: 'ECDH', namedCurve: 'P-256' }, false, []);
  const z = await subtle.deriveBits({ name: 'ECDH', public: epk }, k.recipientPriv, 256);
  const kek = await subtle.importKey(
    'raw',
    await subtle.digest('SHA-256', concatKdfInput(z, 'ECDH-ES+A256KW')),
    'AES-KW',
    false,
    ['unwrapKey'],
  );
  const cek = await subtle.unwrapKey('raw', Buffer.from(ek, 'base64url'), kek, 'AES-KW', 'AES-GCM', false, ['decrypt']);
  const data = Buffer.concat([Buffer.from(ct, 'base64url'), Buffer.from(tag, 'base64url')]);
  const jws = Buffer.from(
    await subtle.decrypt(
      { name: 'AES-GCM', iv: Buffer.from(iv, 'base64url'), additionalData: te.encode(h) },
      cek,
      data,
    ),
  ).toString();
  const [sh, sp, ss] = jws.split('.') as [string, string, string];
  const ok = await subtle.verify(
    { name: 'ECDSA', hash: 'SHA-256' },
    k.verify,
    Buffer.from(ss, 'base64url'),
    te.encode(`${sh}.${sp}`),
  );
  if (!ok) throw new Error('bad signature');
  return JSON.parse(Buffer.from(sp, 'base64url').toString());
}
