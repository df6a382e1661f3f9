/**
 * The XML form of TNX/1 messages (protocol/SPEC.md, "XML form"; XSDs in protocol/xml/).
 *
 * Reading: the raw text is pre-scanned and hardened first (xml-prescan.ts: size, DOCTYPE/ENTITY, PIs,
 * forbidden names, depth), then parsed by xml2js, mapped onto the JSON form by the schema-derived shape
 * (xml-shape.ts), and finally validated by the same JSON Schema and semantic rules as JSON input
 * (validateMessage). Nothing reaches the caller that would not also pass as JSON.
 */
import xml2js from 'xml2js';
import { isTnxError, tnxError, type ErrorCode } from '../../core/errors.js';
import { isForbiddenName } from './forbidden-names.js';
import { DEFAULT_XML_LIMITS, prescanXml, type XmlLimits } from './xml-prescan.js';
import { EXT_ENTRY, messageShape, XML_SCHEMA_FILES, type Shape, type XmlMessageType } from './xml-shape.js';
import { validateMessage, validateReceipt } from './validate.js';
import type { AnyTnxMessage, Receipt, TnxMessage } from './types.js';

export { DEFAULT_XML_LIMITS, type XmlLimits } from './xml-prescan.js';

export const TNX_XML_NS = 'urn:tnx:1';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/**
 * A node as xml2js builds it with `xmlns: true`: attributes under `@`, text under `#text`, namespace
 * under `@ns`, children by name. Neither `@` nor `#` can start an XML name, so no element can
 * collide with these keys (the defaults `$` and `_` would let an element named `_` pose as text).
 */
const ATTR_KEY = '@';
const TEXT_KEY = '#text';
// xml2js always names the namespace key attrkey + "ns" when `xmlns` is on.
const NS_KEY = `${ATTR_KEY}ns`;
interface XNode {
  [ATTR_KEY]?: Record<string, { value: string; local: string; uri: string }>;
  [NS_KEY]?: { uri: string; local: string };
  [TEXT_KEY]?: string;
  [child: string]: unknown;
}

const PARSER_OPTIONS: xml2js.ParserOptions = {
  xmlns: true,
  attrkey: ATTR_KEY,
  charkey: TEXT_KEY,
  explicitArray: true,
  explicitRoot: true,
  async: false,
  strict: true,
  trim: false,
  normalize: false,
  // Second line of defence behind the prescan: a forbidden name never becomes an object key.
  tagNameProcessors: [guardName],
  attrNameProcessors: [guardName],
};

function guardName(name: string): string {
  if (isForbiddenName(name) || isForbiddenName(name.slice(name.indexOf(':') + 1))) {
    throw tnxError('forbidden_property_name', 'an element or attribute name is not allowed (Object.prototype member)');
  }
  return name;
}

/** Parses and validates one TNX/1 inbox message (not a Receipt) in its XML form. */
export function parseXmlMessage(xml: string, limits: XmlLimits = DEFAULT_XML_LIMITS): TnxMessage {
  const doc = parseXmlDocument(xml, limits);
  if (doc.type === 'Receipt') throw unsupportedType();
  return validateMessage(doc);
}

/**
 * Hardened parse and mapping of a message in its XML form WITHOUT schema validation, for the local
 * submission API: there, as with JSON, the gateway first fills what it owns (origin, ids, point of
 * contact) and then validates once (src/features/submission/submit.ts). Every hardening check still applies.
 */
export function parseXmlSubmission(xml: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Record<string, unknown> {
  const doc = parseXmlDocument(xml, limits);
  if (doc.type === 'Receipt') throw unsupportedType();
  return doc;
}

/** Parses and validates a Receipt in its XML form. */
export function parseXmlReceipt(xml: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Receipt {
  const doc = parseXmlDocument(xml, limits);
  if (doc.type !== 'Receipt') throw unsupportedType();
  return validateReceipt(doc);
}

function unsupportedType() {
  return tnxError('unsupported_message_type', 'message type is not accepted here', { pointer: '/type' });
}

/** Hardened parse and mapping onto the JSON form; the caller validates the result. */
function parseXmlDocument(xml: string, limits: XmlLimits): Record<string, unknown> & { type: XmlMessageType } {
  prescanXml(xml, limits);
  const root = parseWithXml2js(xml);
  const rootName = Object.keys(root)[0];
  const node = rootName === undefined ? undefined : (root[rootName] as XNode);
  if (!node || typeof node !== 'object') throw tnxError('malformed_xml', 'no root element');
  if (node[NS_KEY]?.uri !== TNX_XML_NS) {
    throw tnxError('invalid_message', `the root element must be in namespace ${TNX_XML_NS}`, { pointer: '' });
  }
  const type = node[NS_KEY].local;
  if (!Object.hasOwn(XML_SCHEMA_FILES, type)) throw unsupportedType();
  const v = attributes(node, '', ['v']).get('v');
  if (v === undefined) throw invalid('/v', 'is required (attribute of the root element)');
  const body = decodeObject(node, messageShape(type as XmlMessageType), '');
  for (const reserved of ['v', 'type']) {
    if (Object.hasOwn(body, reserved)) throw invalid(`/${reserved}`, 'must not be a child element');
  }
  return { v, type: type as XmlMessageType, ...body };
}

function parseWithXml2js(xml: string): Record<string, unknown> {
  let result: Record<string, unknown> | undefined;
  let failure: unknown;
  // With async: false, sax runs synchronously and the callback fires before parseString returns.
  xml2js.parseString(xml, PARSER_OPTIONS, (err: unknown, res: unknown) => {
    if (err) failure ??= err;
    else result = res as Record<string, unknown>;
  });
  if (failure !== undefined) {
    if (isTnxError(failure)) throw failure;
    // sax messages quote input characters; only the position is passed on.
    const pos = /Line: (\d+)\s+Column: (\d+)/.exec(String((failure as Error)?.message ?? ''));
    throw tnxError('malformed_xml', 'XML is not well-formed', {
      cause: failure,
      ...(pos ? { detail: { line: Number(pos[1]), column: Number(pos[2]) } } : {}),
    });
  }
  if (!result || typeof result !== 'object') throw tnxError('malformed_xml', 'no root element');
  return result;
}

function invalid(pointer: string, what: string, code: ErrorCode = 'invalid_message') {
  return tnxError(code, `${pointer || '(root)'} ${what}`, { pointer });
}

/** Attributes of a node: namespace declarations ignored, `allowed` local names returned, others refused. */
function attributes(node: XNode, pointer: string, allowed: string[], nilAllowed = false): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of Object.values(node[ATTR_KEY] ?? {})) {
    if (a.uri === XMLNS_NS) continue;
    if (a.uri === XSI_NS && a.local === 'nil' && nilAllowed) out.set('xsi:nil', a.value);
    else if (a.uri === '' && allowed.includes(a.local)) out.set(a.local, a.value);
    else throw invalid(pointer, 'carries an attribute that is not part of the TNX/1 XML form');
  }
  return out;
}

/** Child elements in document order per name, each checked to be in the TNX namespace. */
function children(node: XNode, pointer: string): [string, XNode[]][] {
  const out: [string, XNode[]][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === ATTR_KEY || key === NS_KEY || key === TEXT_KEY) continue;
    const items = value as XNode[];
    const first = items[0];
    if (!first || first[NS_KEY]?.uri !== TNX_XML_NS) throw invalid(pointer, `has a child element outside namespace ${TNX_XML_NS}`);
    out.push([first[NS_KEY].local, items]);
  }
  return out;
}

function text(node: XNode): string {
  const t = node[TEXT_KEY];
  return typeof t === 'string' ? t : '';
}

function decode(node: XNode, shape: Shape, pointer: string): unknown {
  const attrs = attributes(node, pointer, [], shape.kind === 'nullable');
  if (shape.kind === 'nullable') {
    const nil = attrs.get('xsi:nil');
    if (nil === 'true' || nil === '1') {
      if (text(node) !== '' || children(node, pointer).length > 0) throw invalid(pointer, 'is xsi:nil but has content');
      return null;
    }
    return decode({ ...node, [ATTR_KEY]: {} }, shape.inner, pointer);
  }
  switch (shape.kind) {
    case 'object':
      return decodeObject(node, shape, pointer);
    case 'array':
      return decodeArray(node, shape, pointer);
    case 'map':
      return decodeMap(node, pointer);
    default:
      if (children(node, pointer).length > 0) throw invalid(pointer, 'must be a simple value, not contain elements');
      return decodeScalar(text(node), shape.kind);
  }
}

/**
 * xs:boolean and xs:integer lexical forms; anything else is handed on as a string so that the JSON
 * Schema reports the type error at the right pointer, with the same wording as for JSON input.
 */
function decodeScalar(s: string, kind: 'string' | 'integer' | 'boolean'): unknown {
  if (kind === 'boolean') {
    const t = s.trim();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    return s;
  }
  if (kind === 'integer' && /^\s*[+-]?[0-9]{1,15}\s*$/.test(s)) return Number(s.trim());
  return s;
}

function decodeObject(node: XNode, shape: Shape & { kind: 'object' }, pointer: string): Record<string, unknown> {
  if (text(node).trim() !== '') throw invalid(pointer, 'must contain elements, not text');
  const out: Record<string, unknown> = {};
  for (const [name, items] of children(node, pointer)) {
    const at = `${pointer}/${name}`;
    if (Object.hasOwn(out, name) || items.length > 1) throw invalid(at, 'occurs more than once');
    const fieldShape = shape.fields.get(name);
    const item = items[0] as XNode;
    // An unknown element becomes an unknown property: the schema refuses it with this pointer.
    out[name] = fieldShape === undefined ? text(item) : decode(item, fieldShape, at);
  }
  return out;
}

function decodeArray(node: XNode, shape: Shape & { kind: 'array' }, pointer: string): unknown[] {
  if (text(node).trim() !== '') throw invalid(pointer, 'must contain elements, not text');
  const kids = children(node, pointer);
  const [only] = kids;
  if (kids.length > 1 || (only && only[0] !== shape.itemName)) {
    throw invalid(pointer, `may contain only <${shape.itemName}> elements`);
  }
  return (only?.[1] ?? []).map((item, i) => decode(item, shape.item, `${pointer}/${i}`));
}

function decodeMap(node: XNode, pointer: string): Record<string, string> {
  if (text(node).trim() !== '') throw invalid(pointer, 'must contain elements, not text');
  const kids = children(node, pointer);
  const [only] = kids;
  if (kids.length > 1 || (only && only[0] !== EXT_ENTRY)) throw invalid(pointer, `may contain only <${EXT_ENTRY}> elements`);
  const out: Record<string, string> = {};
  for (const [i, entry] of (only?.[1] ?? []).entries()) {
    const key = attributes(entry, `${pointer}/${i}`, ['key']).get('key');
    if (key === undefined) throw invalid(`${pointer}/${i}`, 'needs a key attribute');
    // The key becomes a property name: same rules as JSON keys.
    if (isForbiddenName(key)) throw invalid(pointer, 'has a forbidden key', 'forbidden_property_name');
    if (Object.hasOwn(out, key)) throw invalid(pointer, 'has the same key twice', 'duplicate_property');
    if (children(entry, `${pointer}/${i}`).length > 0) throw invalid(`${pointer}/${i}`, 'must be a simple value');
    out[key] = text(entry);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Writing

/** The XML form of a message or receipt (validated first: only valid messages are ever written). */
export function messageToXml(msg: AnyTnxMessage): string {
  const valid: AnyTnxMessage = msg.type === 'Receipt' ? validateReceipt(msg) : validateMessage(msg);
  const shape = messageShape(valid.type);
  const root = {
    $: { xmlns: TNX_XML_NS, 'xmlns:xsi': XSI_NS, v: valid.v },
    ...(encodeObject(valid as unknown as Record<string, unknown>, shape)),
  };
  const builder = new xml2js.Builder({
    rootName: valid.type,
    xmldec: { version: '1.0', encoding: 'UTF-8' },
    renderOpts: { pretty: true, indent: '  ', newline: '\n' },
  });
  try {
    return builder.buildObject(root) + '\n';
  } catch (cause) {
    // XML 1.0 cannot carry most C0 control characters, which JSON strings can.
    throw tnxError('invalid_message', 'a text field holds characters the XML form cannot carry', { cause, pointer: '' });
  }
}

function encode(value: unknown, shape: Shape): unknown {
  if (shape.kind === 'nullable') return value === null ? { $: { 'xsi:nil': 'true' } } : encode(value, shape.inner);
  switch (shape.kind) {
    case 'object':
      return encodeObject(value as Record<string, unknown>, shape);
    case 'array': {
      const items = (value as unknown[]).map((v) => encode(v, shape.item));
      return items.length === 0 ? {} : { [shape.itemName]: items };
    }
    case 'map': {
      const entries = Object.entries(value as Record<string, string>).map(([key, v]) => ({ _: v, $: { key } }));
      return entries.length === 0 ? {} : { [EXT_ENTRY]: entries };
    }
    default:
      return String(value);
  }
}

/** Children in schema order (= XSD sequence order), whatever the key order of the JSON object. */
function encodeObject(obj: Record<string, unknown>, shape: Shape & { kind: 'object' }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, fieldShape] of shape.fields) {
    if (Object.hasOwn(obj, name) && obj[name] !== undefined) out[name] = encode(obj[name], fieldShape);
  }
  return out;
}
