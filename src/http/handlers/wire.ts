/** TNX/1 wire endpoints: the inbox and our public keys. */
import type { NextFunction, Request, Response } from 'express';
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { TnxError } from '../../core/errors.js';
import { receiveMessage, refusalAudited } from '../../features/inbox/receive.js';
import { MEDIA_TYPE_JOSE, MEDIA_TYPE_JWT } from '../../domain/protocol/types.js';
import { bodyOf, stateOf } from '../state.js';
import { ClientCertVerifier } from '../tls.js';
import type { HttpDeps } from './deps.js';

const tlsPartnersKey = Symbol('tlsPartners');
type WithPartners = { [tlsPartnersKey]?: string[] };

/**
 * mTLS on the inbox: before the body is even read, the connection's certificate must belong to some
 * partner; which one is compared with the signer after the envelope is opened.
 */
export function checkClientCertificate(deps: HttpDeps) {
  return function checkClientCertificateStep(req: Request, res: Response, next: NextFunction): void {
    if (!deps.clientCerts) return next();
    const socket = req.socket as TLSSocket;
    const chain = typeof socket.getPeerCertificate === 'function' ? ClientCertVerifier.chainOf(socket) : [];
    const partners = deps.clientCerts.partnersFor(chain);
    if (partners.length === 0) {
      throw new TnxError('unauthenticated', 'a client certificate issued to a partner state is required');
    }
    (res.locals as WithPartners)[tlsPartnersKey] = partners;
    next();
  };
}

/**
 * 200 with the media type exactly as SPEC §2 writes it. Express adds `; charset=utf-8` to a string
 * body; these types define no charset parameter (their content is ASCII: base64url segments and JSON
 * of ASCII members), and the inbox refuses a parameter on `application/jose`, so none is sent either.
 */
function sendExactType(res: Response, type: string, text: string): void {
  res.status(200).setHeader('Content-Type', type);
  res.send(Buffer.from(text, 'utf8'));
}

export function receiveEnvelope(deps: HttpDeps) {
  return async function receiveEnvelopeStep(_req: Request, res: Response): Promise<void> {
    const state = stateOf(res);
    const tlsPartners = (res.locals as WithPartners)[tlsPartnersKey];
    try {
      const result = await receiveMessage(deps.ctx, bodyOf(res).text, {
        ...(tlsPartners ? { tlsPartners } : {}),
        ...(deps.onReceived ? { onReceived: deps.onReceived } : {}),
      });
      sendExactType(res, MEDIA_TYPE_JWT, result.receiptJws);
    } catch (err) {
      // receiveMessage audited the refusal of a verified sender; the others are counted by the error handler.
      state.audited = refusalAudited(err);
      throw err;
    }
  };
}

export function serveJwks(deps: HttpDeps) {
  return function serveJwksStep(_req: Request, res: Response): void {
    // Public keys may be cached briefly by partners; rotation publishes new keys ahead of use.
    res.setHeader('Cache-Control', 'public, max-age=300');
    sendExactType(res, 'application/jwk-set+json', JSON.stringify(deps.ctx.keys.publicJwks()));
  };
}

/**
 * The signed network directory this gateway follows, byte for byte, so any gateway can republish it
 * (SPEC §14): public like the JWKS — it is signed by the coordinator and verified by whoever fetches
 * it, so serving it adds no trust. A strong ETag lets followers poll with If-None-Match.
 */
export function serveNetworkDirectory(deps: HttpDeps) {
  return function serveNetworkDirectoryStep(req: Request, res: Response): void {
    const signed = deps.ctx.network?.signed() ?? null;
    if (signed === null) throw new TnxError('not_found', 'no network directory is held here');
    const etag = `"${createHash('sha256').update(signed).digest('base64url')}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Cache-Control', 'public, max-age=60');
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    sendExactType(res, MEDIA_TYPE_JOSE, signed);
  };
}
