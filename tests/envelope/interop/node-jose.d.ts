// node-jose ships no types; the interop tests use a small, explicit slice of its API.
declare module 'node-jose' {
  interface Key {
    kid: string;
  }
  interface KeyStore {
    add(jwk: object): Promise<Key>;
  }
  const jose: {
    JWK: { createKeyStore(): KeyStore; asKey(jwk: object): Promise<Key> };
    JWE: {
      createEncrypt(
        opts: { format: 'compact'; fields: Record<string, unknown> },
        key: Key,
      ): { update(data: Buffer | string): { final(): Promise<string> } };
      createDecrypt(
        keystore: KeyStore | Key,
        opts?: Record<string, unknown>,
      ): { decrypt(token: string): Promise<{ header: Record<string, unknown>; plaintext: Buffer }> };
    };
    JWS: {
      createSign(
        opts: { format: 'compact'; fields: Record<string, unknown> },
        key: Key,
      ): { update(data: Buffer | string): { final(): Promise<string> } };
      createVerify(
        keystore: KeyStore | Key,
        opts?: Record<string, unknown>,
      ): { verify(token: string): Promise<{ header: Record<string, unknown>; payload: Buffer }> };
    };
  };
  export default jose;
}
