/**
 * The XSDs in protocol/xml/ checked by a real XSD validator (libxml2's xmllint, Debian package
 * libxml2-utils): every XML example validates, what our codec writes validates, and a document that
 * breaks the schema is refused — so the XSDs are a usable contract for partners, not decoration.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyTnxMessage } from '../../src/domain/protocol/types.js';
import { messageToXml } from '../../src/domain/protocol/xml-codec.js';
import { tempDir } from '../harness/tmp.js';
import { loadExamples } from './examples.js';

const XSD_DIR = fileURLToPath(new URL('../../protocol/xml/', import.meta.url));
const XSD_FOR: Record<string, string> = {
  TravelNotification: 'travel-notification.xsd',
  TravelUpdate: 'travel-update.xsd',
  FollowUpReport: 'follow-up-report.xsd',
  Receipt: 'receipt.xsd',
};

const hasXmllint = spawnSync('sh', ['-c', 'command -v xmllint']).status === 0;

function xmllint(xml: string, type: string): { ok: boolean; out: string } {
  const file = join(tempDir('tnx-xsd'), 'doc.xml');
  writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--noout', '--nonet', '--schema', join(XSD_DIR, XSD_FOR[type] ?? 'missing.xsd'), file], {
    encoding: 'utf8',
  });
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

describe('XSDs checked by a real XSD validator (xmllint)', function () {
  before(function () {
    if (!hasXmllint) {
      console.log('      (skipped: xmllint not installed — apt-get install -y libxml2-utils)');
      this.skip();
    }
  });

  for (const ex of loadExamples()) {
    if (ex.xml === undefined) continue;
    const type = String(ex.json.type);
    it(`${ex.name}.xml validates against ${XSD_FOR[type]}`, () => {
      const r = xmllint(ex.xml ?? '', type);
      assert.ok(r.ok, r.out);
    });
    it(`${ex.name}: what messageToXml writes validates`, () => {
      const r = xmllint(messageToXml(ex.json as unknown as AnyTnxMessage), type);
      assert.ok(r.ok, r.out);
    });
  }

  it('refuses a TravelNotification without its destination element', () => {
    const ex = loadExamples().find((e) => e.name === 'travel-notification');
    assert.ok(ex?.xml);
    const broken = ex.xml.replace(/<destination>[A-Z]{3}<\/destination>/, '');
    assert.notEqual(broken, ex.xml);
    const r = xmllint(broken, 'TravelNotification');
    assert.equal(r.ok, false);
    assert.match(r.out, /destination/);
  });

  it('refuses an element the schema does not know', () => {
    const ex = loadExamples().find((e) => e.name === 'follow-up-report');
    assert.ok(ex?.xml);
    const broken = ex.xml.replace('</FollowUpReport>', '<surprise>1</surprise></FollowUpReport>');
    assert.equal(xmllint(broken, 'FollowUpReport').ok, false);
  });
});
