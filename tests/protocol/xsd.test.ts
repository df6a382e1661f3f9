/**
 * The XSDs in protocol/xml/ must describe exactly the XML the codec reads and writes: for every
 * message, walk the schema-derived shape and the XSD side by side and compare element names, order,
 * optionality, item elements, nillable fields and scalar types.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import xml2js from 'xml2js';
import { messageShape, XML_SCHEMA_FILES, type Shape, type XmlMessageType } from '../../src/domain/protocol/xml-shape.js';

const XML_DIR = new URL('../../protocol/xml/', import.meta.url);
const XSD_FILES: Record<XmlMessageType, string> = {
  TravelNotification: 'travel-notification.xsd',
  TravelUpdate: 'travel-update.xsd',
  FollowUpReport: 'follow-up-report.xsd',
  Receipt: 'receipt.xsd',
};

interface XsdNode {
  $?: Record<string, string>;
  [k: string]: unknown;
}

async function readXsd(file: string): Promise<XsdNode> {
  const doc = (await xml2js.parseStringPromise(readFileSync(new URL(file, XML_DIR), 'utf8'))) as { 'xs:schema': XsdNode };
  return doc['xs:schema'];
}

function list(node: XsdNode | undefined, key: string): XsdNode[] {
  return (node?.[key] as XsdNode[] | undefined) ?? [];
}

describe('protocol: XSDs match the XML mapping', () => {
  let named: Map<string, XsdNode>;
  let simple: Set<string>;

  before(async () => {
    named = new Map();
    simple = new Set();
    for (const f of ['common.xsd', ...Object.values(XSD_FILES)]) {
      const xsd = await readXsd(f);
      for (const ct of list(xsd, 'xs:complexType')) named.set(`tnx:${ct.$?.name}`, ct);
      for (const st of list(xsd, 'xs:simpleType')) simple.add(`tnx:${st.$?.name}`);
    }
  });

  function complexTypeOf(decl: XsdNode, at: string): XsdNode {
    const ref = decl.$?.type;
    const ct = ref === undefined ? list(decl, 'xs:complexType')[0] : named.get(ref);
    assert.ok(ct, `${at}: needs a complex type (declared ${String(ref)})`);
    return ct;
  }

  function sequenceOf(ct: XsdNode): XsdNode[] {
    return list(list(ct, 'xs:sequence')[0], 'xs:element');
  }

  function scalarBase(decl: XsdNode): string | undefined {
    const type = decl.$?.type;
    if (type !== undefined) return type;
    return list(list(decl, 'xs:simpleType')[0], 'xs:restriction')[0]?.$?.base;
  }

  function walk(shape: Shape, decl: XsdNode, at: string, nullable = false): void {
    if (shape.kind === 'nullable') {
      assert.equal(decl.$?.nillable, 'true', `${at}: nullable field must be nillable`);
      return walk(shape.inner, decl, at, true);
    }
    if (!nullable) assert.notEqual(decl.$?.nillable, 'true', `${at}: only nullable fields are nillable`);
    switch (shape.kind) {
      case 'object': {
        const seq = sequenceOf(complexTypeOf(decl, at));
        assert.deepEqual(seq.map((e) => e.$?.name), [...shape.fields.keys()], `${at}: element names and order`);
        for (const e of seq) {
          const name = e.$?.name as string;
          const optional = e.$?.minOccurs === '0';
          assert.equal(optional, !shape.required.has(name), `${at}/${name}: minOccurs="0" exactly when optional`);
          walk(shape.fields.get(name) as Shape, e, `${at}/${name}`);
        }
        return;
      }
      case 'array': {
        const seq = sequenceOf(complexTypeOf(decl, at));
        assert.equal(seq.length, 1, `${at}: one item element`);
        const item = seq[0] as XsdNode;
        assert.equal(item.$?.name, shape.itemName, `${at}: item element name`);
        assert.ok(item.$?.maxOccurs !== undefined, `${at}: item element repeats`);
        return walk(shape.item, item, `${at}/${shape.itemName}`);
      }
      case 'map': {
        const seq = sequenceOf(complexTypeOf(decl, at));
        assert.deepEqual(seq.map((e) => e.$?.name), ['entry'], `${at}: ext entries`);
        return;
      }
      case 'integer':
        assert.equal(scalarBase(decl), 'xs:integer', `${at}: integer`);
        return;
      case 'boolean':
        assert.equal(scalarBase(decl), 'xs:boolean', `${at}: boolean`);
        return;
      case 'string': {
        const t = scalarBase(decl);
        assert.ok(t !== undefined && (simple.has(t) || t === 'xs:string'), `${at}: string type, got ${String(t)}`);
        return;
      }
    }
  }

  for (const type of Object.keys(XML_SCHEMA_FILES) as XmlMessageType[]) {
    it(`${XSD_FILES[type]} declares <${type}> exactly as the codec maps ${XML_SCHEMA_FILES[type]}`, async () => {
      const xsd = await readXsd(XSD_FILES[type]);
      assert.equal(xsd.$?.targetNamespace, 'urn:tnx:1');
      assert.equal(xsd.$?.elementFormDefault, 'qualified');
      const root = list(xsd, 'xs:element').find((e) => e.$?.name === type);
      assert.ok(root, `root element ${type}`);
      const v = list(complexTypeOf(root, type), 'xs:attribute')[0];
      assert.deepEqual(v?.$, { name: 'v', type: 'xs:string', fixed: '1', use: 'required' });
      walk(messageShape(type), root, `/${type}`);
    });
  }
});
