import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jpeg, jpegHeader, pdf, png, renamedExecutable } from '../../test/helpers/documents.ts';
import { checkIdentityDocument, maxDocumentBytes } from './identity-document.ts';

test('PDF, JPEG and PNG are recognised by their bytes', () => {
  assert.deepEqual(checkIdentityDocument(pdf()), { ok: true, type: 'pdf', mediaType: 'application/pdf' });
  assert.deepEqual(checkIdentityDocument(jpeg()), { ok: true, type: 'jpeg', mediaType: 'image/jpeg' });
  assert.deepEqual(checkIdentityDocument(png()), { ok: true, type: 'png', mediaType: 'image/png' });
});

test('renamed executables, empty and oversized files are refused', () => {
  assert.deepEqual(checkIdentityDocument(renamedExecutable()), { ok: false, reason: 'unknown_type' });
  assert.deepEqual(checkIdentityDocument(Buffer.alloc(0)), { ok: false, reason: 'empty' });
  assert.deepEqual(checkIdentityDocument(Buffer.concat([png(), Buffer.alloc(maxDocumentBytes)])), { ok: false, reason: 'too_large' });
});

test('truncated images and PDFs are refused', () => {
  const whole = png();
  assert.deepEqual(checkIdentityDocument(whole.subarray(0, whole.length - 20)), { ok: false, reason: 'truncated' });
  const photo = jpeg();
  assert.deepEqual(checkIdentityDocument(photo.subarray(0, photo.length - 2)), { ok: false, reason: 'truncated' });
  assert.deepEqual(checkIdentityDocument(pdf().subarray(0, 40)), { ok: false, reason: 'truncated' });
});

test('images of absurd size are refused', () => {
  assert.deepEqual(checkIdentityDocument(png(20, 20)), { ok: false, reason: 'bad_dimensions' });
  assert.deepEqual(checkIdentityDocument(jpegHeader(60000, 300)), { ok: false, reason: 'bad_dimensions' });
});

test('PDFs with active content are refused, hex-escaped names included', () => {
  for (const active of ['/OpenAction << /S /JavaScript /JS (app.alert(1)) >>', '/AA << >>', '/Launch', '/EmbeddedFile', '/#4Aava#53cript']) {
    assert.deepEqual(checkIdentityDocument(pdf(active)), { ok: false, reason: 'active_content' }, active);
  }
});
