/**
 * Hardened request bodies (fastify test/body-limit.test.js, test/proto-poisoning.test.js): each refusal
 * has its own test, and the process keeps serving after every garbage body.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import request from 'supertest';
import { rawPost } from './raw.js';
import { bearer, bootstrap, example, type TestGateway } from '../gateway/bootstrap.js';

describe('http: hardened bodies', () => {
  let gw: TestGateway;
  before(async () => {
    gw = await bootstrap({
      config: { http: { host: '127.0.0.1', port: 0, bodyLimitBytes: 4096 }, protocol: { maxMessageBytes: 8192 } },
    });
  });
  after(async () => {
    await gw.close();
  });

  const post = (path: string, type: string, body: string | Buffer) =>
    rawPost(gw.url, path, { Authorization: bearer('submitter'), 'Content-Type': type }, body);

  it('refuses duplicate keys (duplicate_property)', async () => {
    const res = await post(
      '/api/v1/notifications',
      'application/json',
      '{"type":"TravelNotification","type":"TravelNotification"}',
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'duplicate_property');
  });

  it('refuses __proto__ and constructor members (forbidden_property_name)', async () => {
    for (const body of ['{"__proto__":{"isAdmin":true}}', '{"a":{"constructor":{"prototype":{}}}}']) {
      const res = await post('/api/v1/notifications', 'application/json', body);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'forbidden_property_name');
    }
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined, 'no prototype pollution');
  });

  it('refuses deep nesting (nesting_too_deep)', async () => {
    const res = await post('/api/v1/notifications', 'application/json', `${'['.repeat(100)}${']'.repeat(100)}`);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'nesting_too_deep');
  });

  it('refuses malformed JSON, invalid UTF-8 and a byte order mark (malformed_json)', async () => {
    for (const body of [
      '{"a":',
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]),
    ]) {
      const res = await post('/api/v1/notifications', 'application/json', body);
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'malformed_json');
    }
  });

  it('refuses XML with a DOCTYPE (xml_doctype_forbidden), entity tricks included', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><TravelNotification xmlns="urn:tnx:1">&e;</TravelNotification>';
    const res = await post('/api/v1/notifications', 'application/xml', xxe);
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'xml_doctype_forbidden');
    assert.doesNotMatch(JSON.stringify(res.body), /root:/);
  });

  it('refuses malformed XML (malformed_xml)', async () => {
    const res = await post(
      '/api/v1/notifications',
      'application/xml',
      '<TravelNotification xmlns="urn:tnx:1"><v>1</TravelNotification>',
    );
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'malformed_xml');
  });

  it('refuses content types off the allow-list (unsupported_media_type)', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/vnd.evil+json',
      'text/xml',
    ]) {
      const res = await post('/api/v1/notifications', type, '{}');
      assert.equal(res.status, 415);
      assert.equal(res.body.code, 'unsupported_media_type', type);
    }
    const none = await request(gw.url)
      .post('/api/v1/notifications')
      .set('Authorization', bearer('submitter'))
      .expect(415);
    assert.equal(none.body.code, 'unsupported_media_type');
    // charset=utf-8 is fine
    assert.equal(
      (
        await post(
          '/api/v1/notifications',
          'application/json; charset=UTF-8',
          JSON.stringify(example('travel-notification.json')),
        )
      ).status,
      202,
    );
  });

  it('the inbox takes exactly application/jose', async () => {
    for (const type of [
      'application/json',
      'application/jose+json',
      'application/jose; charset=utf-8',
      'application/jwt',
    ]) {
      const res = await request(gw.url)
        .post('/tnx/v1/messages')
        .set('Content-Type', type)
        .send('a.b.c.d.e')
        .expect(415);
      assert.equal(res.body.code, 'unsupported_media_type', type);
    }
    await gw.refusals.flush();
    const refused = await gw.ctx.store.audit.query({ action: 'request.refused' }, { limit: 10 });
    const counted = refused.items.filter((e) => e.outcome === 'unsupported_media_type');
    assert.equal(counted.length, 1, 'inbox refusals before opening are counted in one event');
    assert.equal(counted[0]!.detail?.count, 4);
  });

  it('refuses bodies over the limit (payload_too_large), announced or chunked', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(5000) });
    const res = await post('/api/v1/notifications', 'application/json', big);
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 'payload_too_large');
    const inbox = await request(gw.url)
      .post('/tnx/v1/messages')
      .set('Content-Type', 'application/jose')
      .send('x'.repeat(9000))
      .expect(413);
    assert.equal(inbox.body.code, 'payload_too_large');

    // Chunked, no Content-Length: counted while streaming.
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL('/api/v1/notifications', gw.url);
      const req = httpRequest(
        u,
        {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: bearer('submitter'),
            'Transfer-Encoding': 'chunked',
          },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 10; i += 1) req.write('x'.repeat(1000));
      req.end();
    });
    assert.equal(status, 413);
  });

  it('never crashes on garbage: answers problem+json and keeps serving', async () => {
    const garbage: [string, string | Buffer][] = [
      ['application/json', ''],
      ['application/json', 'null'],
      ['application/json', '[]'],
      ['application/json', '"string"'],
      ['application/json', '1e999999'],
      ['application/json', '{"v":"1","type":"TravelNotification","person":null}'],
      ['application/json', Buffer.from([0, 1, 2, 3, 255])],
      ['application/xml', ''],
      ['application/xml', '<a>'],
      ['application/xml', Buffer.from([0x3c, 0xff, 0x3e])],
    ];
    for (const [type, body] of garbage) {
      const res = await post('/api/v1/notifications', type, body);
      assert.ok(res.status >= 400 && res.status < 500, `${type} ${String(body)} → ${res.status}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(typeof res.body.code, 'string');
    }
    for (const body of ['', 'a.b.c.d.e', '....', 'eyJhbGciOiJub25lIn0.e30.', 'x'.repeat(100)]) {
      const res = await request(gw.url).post('/tnx/v1/messages').set('Content-Type', 'application/jose').send(body);
      assert.ok(res.status >= 400 && res.status < 500, `inbox ${body.slice(0, 10)} → ${res.status}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    await request(gw.url).get('/healthz').expect(200);
  });
});
