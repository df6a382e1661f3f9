#!/usr/bin/python3
"""TNX/1 envelope with Python jwcrypto (Debian python3-jwcrypto): an independent implementation the
interop tests hold ours to.

  jwcrypto_envelope.py open RECIPIENT_PRIVATE_JWKS SENDER_PUBLIC_JWKS   < JWE   > claims JSON
  jwcrypto_envelope.py seal SENDER_PRIVATE_JWKS RECIPIENT_PUBLIC_JWKS   < claims JSON > JWE

Keys are picked by kid from the given files only (never from the token), as TNX/1 requires.
"""
import json
import sys

from jwcrypto import jwe, jwk, jws

MATERIAL = ("kty", "crv", "x", "y", "d", "n", "e", "p", "q", "dp", "dq", "qi", "kid")


def load(path, use):
    with open(path, encoding="utf-8") as f:
        keys = [k for k in json.load(f)["keys"] if k.get("use") == use and "tnx_retired" not in k]
    # Newest first, as TNX/1 orders keys by tnx_created.
    keys.sort(key=lambda k: k.get("tnx_created", ""), reverse=True)
    return [(k, jwk.JWK(**{m: k[m] for m in MATERIAL if m in k})) for k in keys]


def b64json(segment):
    import base64
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def open_envelope(priv_path, pub_path, token):
    header = b64json(token.split(".")[0])
    enc_keys = {meta["kid"]: (meta, key) for meta, key in load(priv_path, "enc")}
    meta, key = enc_keys[header["kid"]]
    outer = jwe.JWE()
    outer.allowed_algs = [meta["alg"], "A256GCM"]
    outer.deserialize(token, key=key)
    assert header.get("cty", "").upper() == "JWT", "cty must be JWT"
    inner = outer.payload.decode("ascii")
    inner_header = b64json(inner.split(".")[0])
    assert inner_header.get("typ") == "tnx+jwt", "typ must be tnx+jwt"
    sig_keys = {m["kid"]: (m, k) for m, k in load(pub_path, "sig")}
    smeta, skey = sig_keys[inner_header["kid"]]
    signed = jws.JWS()
    signed.allowed_algs = [smeta["alg"]]
    signed.deserialize(inner)
    signed.verify(skey, alg=smeta["alg"])
    return json.loads(signed.payload)


def seal_envelope(priv_path, pub_path, claims):
    smeta, skey = load(priv_path, "sig")[0]
    emeta, ekey = load(pub_path, "enc")[0]
    signed = jws.JWS(json.dumps(claims).encode("utf-8"))
    signed.add_signature(skey, alg=smeta["alg"], protected=json.dumps({"alg": smeta["alg"], "typ": "tnx+jwt", "kid": smeta["kid"]}))
    inner = signed.serialize(compact=True)
    outer = jwe.JWE(inner.encode("ascii"), protected=json.dumps({"alg": emeta["alg"], "enc": "A256GCM", "kid": emeta["kid"], "cty": "JWT"}))
    outer.allowed_algs = [emeta["alg"], "A256GCM"]
    outer.add_recipient(ekey)
    return outer.serialize(compact=True)


def main():
    mode, a, b = sys.argv[1:4]
    data = sys.stdin.read()
    if mode == "open":
        sys.stdout.write(json.dumps(open_envelope(a, b, data.strip())))
    elif mode == "seal":
        sys.stdout.write(seal_envelope(a, b, json.loads(data)))
    else:
        raise SystemExit("mode must be open or seal")


if __name__ == "__main__":
    main()
