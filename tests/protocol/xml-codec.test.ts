import assert from 'node:assert/strict';
import { isTnxError, type ErrorCode } from '../../src/core/errors.js';
import { FORBIDDEN_NAMES } from '../../src/domain/protocol/forbidden-names.js';
import type { AnyTnxMessage } from '../../src/domain/protocol/types.js';
import { messageToXml, parseXmlMessage, parseXmlReceipt } from '../../src/domain/protocol/xml-codec.js';
import { example, loadExamples } from './examples.js';

function refused(xml: string, code: ErrorCode, pointer?: string, limits?: { maxBytes: number; maxDepth: number }): Error {
  try {
    parseXmlMessage(xml, limits);
  } catch (err) {
    assert.ok(isTnxError(err), `expected TnxError, got ${String(err)}`);
    assert.equal(err.code, code, `code (message: ${err.message})`);
    if (pointer !== undefined) assert.equal(err.pointer, pointer, `pointer (message: ${err.message})`);
    return err;
  }
  assert.fail(`expected ${code}`);
}

const FOLLOW_UP_XML = messageToXml(example('follow-up-report') as unknown as AnyTnxMessage);

/** The follow-up example with `extra` inserted right after the root start tag. */
function withChild(extra: string): string {
  return FOLLOW_UP_XML.replace('v="1">', `v="1">${extra}`);
}

function assertPrototypeClean(): void {
  const probe = {} as Record<string, unknown>;
  for (const k of ['polluted', 'isAdmin', 'action', 'x', 'v']) assert.equal(probe[k], undefined, `Object.prototype.${k}`);
  assert.equal(Object.keys(Object.prototype).length, 0);
}

describe('protocol: XML form (xml-codec)', () => {
  it('every XML example parses to its JSON example, and every JSON example round-trips', () => {
    const examples = loadExamples();
    const withXml = examples.filter((e) => e.xml !== undefined);
    assert.equal(withXml.length, examples.length, 'every JSON example has an XML twin');
    for (const ex of examples) {
      const parse = ex.json.type === 'Receipt' ? parseXmlReceipt : parseXmlMessage;
      assert.deepEqual(parse(ex.xml as string), ex.json, `${ex.name}.xml parses to ${ex.name}.json`);
      const again = messageToXml(ex.json as unknown as AnyTnxMessage);
      assert.deepEqual(parse(again), ex.json, `${ex.name}: JSON → XML → JSON`);
      assert.equal(again, ex.xml, `${ex.name}.xml is what messageToXml writes`);
    }
  });

  it('keeps empty arrays, nulls, booleans, integers and non-Latin text', () => {
    const m = example('travel-notification');
    (m.person as { name: { given: string[] } }).name.given = [];
    const xml = messageToXml(m as unknown as AnyTnxMessage);
    assert.match(xml, /<given\/>/);
    assert.match(xml, /<registrationEndsOn xsi:nil="true"\/>/);
    assert.deepEqual(parseXmlMessage(xml), m);
    // xs:boolean allows 1/0 too; xs:integer allows a sign.
    const alt = xml.replace('<victimMinor>true<', '<victimMinor>1<').replace('<daysOfNotice>24<', '<daysOfNotice>+24<');
    assert.deepEqual(parseXmlMessage(alt), m);
    assert.match(xml, /<family>Кузнецов<\/family>/);
  });

  it('accepts a prefixed namespace and any child order', () => {
    const prefixed = FOLLOW_UP_XML.replace(/<(\/?)([A-Za-z]+)/g, '<$1t:$2').replace('xmlns="urn:tnx:1"', 'xmlns:t="urn:tnx:1"');
    assert.deepEqual(parseXmlMessage(prefixed), example('follow-up-report'));
    const reordered = FOLLOW_UP_XML.replace(/(\s*<followUpId>[^<]*<\/followUpId>)([\s\S]*)(\s*<\/FollowUpReport>)/, '$2$1$3');
    assert.notEqual(reordered, FOLLOW_UP_XML);
    assert.deepEqual(parseXmlMessage(reordered), example('follow-up-report'));
  });

  it('refuses XXE: an external entity to /etc/passwd is refused before parsing', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE FollowUpReport [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<FollowUpReport xmlns="urn:tnx:1" v="1"><note>&xxe;</note></FollowUpReport>`;
    const err = refused(xxe, 'xml_doctype_forbidden');
    assert.ok(!err.message.includes('root:'), 'no file content in the error');
    // Without a DOCTYPE an undeclared entity is simply malformed: nothing is resolved.
    refused(withChild('<note>&xxe;</note>'), 'malformed_xml');
    // A parameter entity or lower-case spelling does not slip through.
    refused('<!doctype x [<!ENTITY % p SYSTEM "http://127.0.0.1/">%p;]><x/>', 'xml_doctype_forbidden');
    refused(withChild('<!-- <!ENTITY a "b"> -->'), 'xml_doctype_forbidden');
  });

  it('refuses billion laughs (entity expansion) quickly', () => {
    let decl = '<!ENTITY lol "lol">';
    for (let i = 1; i <= 9; i++) decl += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [${decl}]><FollowUpReport xmlns="urn:tnx:1" v="1"><note>&lol9;</note></FollowUpReport>`;
    const t0 = process.hrtime.bigint();
    refused(bomb, 'xml_doctype_forbidden');
    assert.ok(process.hrtime.bigint() - t0 < 50_000_000n, 'refused in under 50 ms');
  });

  it('refuses prototype-pollution names as elements and attributes; Object.prototype stays untouched', () => {
    for (const name of FORBIDDEN_NAMES) {
      if (!/^[A-Za-z_]/.test(name)) continue;
      refused(withChild(`<${name}><polluted>yes</polluted></${name}>`), 'forbidden_property_name');
      refused(withChild(`<note ${name}="x">n</note>`), 'forbidden_property_name');
      refused(withChild(`<t:${name} xmlns:t="urn:tnx:1"><isAdmin>true</isAdmin></t:${name}>`), 'forbidden_property_name');
    }
    refused(FOLLOW_UP_XML.replace(/FollowUpReport/g, '__proto__'), 'forbidden_property_name');
    // ext keys become property names too.
    const ext = withChild('<ext><entry key="__proto__">x</entry></ext>');
    try {
      parseXmlMessage(ext);
      assert.fail('expected a refusal');
    } catch (err) {
      assert.ok(isTnxError(err, 'forbidden_property_name'), String(err));
    }
    assertPrototypeClean();
  });

  it('refuses deep nesting and huge input with their own codes', () => {
    const deep = withChild('<note>' + '<a>'.repeat(30_000) + '</a>'.repeat(30_000) + '</note>');
    refused(deep, 'nesting_too_deep');
    refused(withChild('<note><a><b><c>x</c></b></a></note>'), 'nesting_too_deep', undefined, { maxBytes: 1 << 20, maxDepth: 3 });
    const huge = withChild(`<note>${'A'.repeat(300_000)}</note>`);
    refused(huge, 'payload_too_large');
    // The limit counts UTF-8 bytes, not UTF-16 code units.
    const cyr = withChild(`<note>${'Ж'.repeat(1000)}</note>`);
    refused(cyr, 'payload_too_large', undefined, { maxBytes: FOLLOW_UP_XML.length + 1500, maxDepth: 16 });
  });

  it('refuses processing instructions other than the XML declaration', () => {
    refused(withChild('<?xml-stylesheet href="http://127.0.0.1/x.xsl"?>'), 'malformed_xml');
    refused('<?php echo 1; ?>' + FOLLOW_UP_XML.replace(/^<\?xml[^>]*>\n/, ''), 'malformed_xml');
    refused('\n' + FOLLOW_UP_XML, 'malformed_xml');
    assert.deepEqual(parseXmlMessage(FOLLOW_UP_XML.replace(/^<\?xml[^>]*>\n/, '')), example('follow-up-report'));
  });

  it('validates the result with the JSON Schema and semantic rules, with JSON pointers', () => {
    refused(FOLLOW_UP_XML.replace('<action>entry_denied<', '<action>arrested<'), 'invalid_message', '/action');
    refused(withChild('<nickname>x</nickname>'), 'invalid_message', ''); // the root holds the unknown element; its name is not echoed
    refused(withChild('<note>a</note>'), 'invalid_message', '/note');
    refused(FOLLOW_UP_XML.replace('<destination>USA<', '<destination>THA<'), 'invalid_message', '/destination');
    refused(FOLLOW_UP_XML.replace('v="1"', 'v="2"'), 'unsupported_version', '/v');
    refused(FOLLOW_UP_XML.replace(' v="1"', ''), 'invalid_message', '/v');
    refused(FOLLOW_UP_XML.replace(' v="1"', ' v="1" lang="en"'), 'invalid_message', '');
    refused(withChild('<type>TravelNotification</type>'), 'invalid_message', '/type');
    refused(FOLLOW_UP_XML.replace(/FollowUpReport/g, 'Gossip'), 'unsupported_message_type', '/type');
    refused(FOLLOW_UP_XML.replace('urn:tnx:1', 'urn:other'), 'invalid_message', '');
    refused(messageToXml(example('receipt') as unknown as AnyTnxMessage), 'unsupported_message_type', '/type');
    const tn = messageToXml(example('travel-notification') as unknown as AnyTnxMessage);
    refused(tn.replace('<sequence>2<', '<sequence>two<'), 'invalid_message', '/travel/legs/1/sequence');
    refused(tn.replace('<late>false<', '<late>no<'), 'invalid_message', '/report/late');
    refused(tn.replace('<state>RUS</state>', '<country>RUS</country>'), 'invalid_message', '/person/citizenships');
    refused(tn.replace('<registrationEndsOn xsi:nil="true"/>', '<registrationEndsOn xsi:nil="true">2030-01-01</registrationEndsOn>'), 'invalid_message', '/convictions/0/registrationEndsOn');
    refused(tn.replace('<origin>USA</origin>', '<origin>USA</origin><origin>USA</origin>'), 'invalid_message', '/origin');
    refused(tn.replace('<purpose>', '<purpose><b>x</b>'), 'invalid_message', '/travel/purpose');
    // An element named like xml2js' internal keys is an unknown field, not text or attributes.
    refused(tn.replace('<sex>', '<_>x</_><sex>'), 'invalid_message', '/person');
    refused(withChild('<_>x</_>'), 'invalid_message', '');
    refused(FOLLOW_UP_XML.replace('</FollowUpReport>', ''), 'malformed_xml');
    refused(withChild('<x:note xmlns:y="urn:tnx:1">n</x:note>'), 'malformed_xml');
  });

  it('writes only valid messages, and says so with a typed error', () => {
    const bad = example('follow-up-report');
    bad.action = 'arrested';
    assert.throws(() => messageToXml(bad as unknown as AnyTnxMessage), (e) => isTnxError(e, 'invalid_message'));
    const ctl = example('follow-up-report');
    ctl.note = 'bell\u0007';
    assert.throws(() => messageToXml(ctl as unknown as AnyTnxMessage), (e) => isTnxError(e, 'invalid_message'));
  });
});
