// S29 of SECURITY.md: an identity document is stored only as Varco re-wrote it. Images are
// fully decoded (with a bound on pixels, checked from the header before any decoding) and
// re-encoded, so nothing of the uploaded file survives: polyglots, trailing payloads and
// metadata die here, and data that is not really an image is refused. PDFs are parsed by a
// real parser, object streams included, refused when they carry active content anywhere,
// and saved anew, which drops whatever lay outside the parsed objects.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream, type PDFObject } from '@cantoo/pdf-lib';
import sharp from 'sharp';
import { checkIdentityDocument, saneImageSize, type DocumentType } from '../domain/identity-document.ts';

export const maxInputPixels = 36_000_000; // a 600 dpi A4 scan; a 10000×10000 bomb is refused unread

export type SanitisedDocument =
  | { ok: true; type: DocumentType; mediaType: string; bytes: Buffer }
  | { ok: false; reason: 'empty' | 'too_large' | 'unknown_type' | 'truncated' | 'bad_dimensions' | 'active_content' | 'undecodable' };

// Keys and action types that make a PDF do something when opened or clicked.
const activeKeys = new Set(['JS', 'JavaScript', 'AA', 'EmbeddedFile', 'EmbeddedFiles', 'RichMedia', 'XFA', 'AcroForm']);
const activeActions = new Set(['JavaScript', 'Launch', 'SubmitForm', 'ImportData', 'ResetForm', 'GoToE', 'GoToR', 'RichMediaExecute', 'Rendition', 'Sound', 'Movie']);

/** A PDF name as written, with #xx escapes decoded (/J#61vaScript is /JavaScript). */
function nameText(name: PDFName): string {
  return name.asString().slice(1).replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function isActive(object: PDFObject | undefined, depth = 0): boolean {
  if (!object || depth > 64) return depth > 64;
  if (object instanceof PDFStream) return isActive(object.dict, depth + 1);
  if (object instanceof PDFName) return activeActions.has(nameText(object));
  if (object instanceof PDFArray) return object.asArray().some((item) => isActive(item, depth + 1));
  if (object instanceof PDFDict) {
    return object.entries().some(([key, value]) => activeKeys.has(nameText(key)) || isActive(value, depth + 1));
  }
  return false;
}

async function rewritePdf(bytes: Buffer): Promise<SanitisedDocument> {
  let document: PDFDocument;
  try {
    // Encrypted PDFs throw here: what cannot be read cannot be checked.
    document = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
    // A document is at least one page that can be found from the catalogue.
    if (document.getPageCount() < 1) return { ok: false, reason: 'undecodable' };
  } catch {
    return { ok: false, reason: 'undecodable' };
  }
  if (document.context.enumerateIndirectObjects().some(([, object]) => isActive(object))) return { ok: false, reason: 'active_content' };
  if (isActive(document.context.trailerInfo.Root)) return { ok: false, reason: 'active_content' };
  const rewritten = await document.save({ useObjectStreams: false, addDefaultPage: false });
  return { ok: true, type: 'pdf', mediaType: 'application/pdf', bytes: Buffer.from(rewritten) };
}

async function reencodeImage(bytes: Buffer, type: 'jpeg' | 'png'): Promise<SanitisedDocument> {
  try {
    const image = sharp(bytes, { limitInputPixels: maxInputPixels, failOn: 'error' });
    const { width = 0, height = 0 } = await image.metadata();
    if (!saneImageSize(width, height)) return { ok: false, reason: 'bad_dimensions' };
    // rotate() applies the EXIF orientation before the metadata is dropped.
    const pipeline = image.rotate();
    const output = type === 'png' ? await pipeline.png().toBuffer() : await pipeline.jpeg({ quality: 90, mozjpeg: true }).toBuffer();
    return { ok: true, type, mediaType: type === 'png' ? 'image/png' : 'image/jpeg', bytes: output };
  } catch (error) {
    const tooBig = error instanceof Error && /pixel limit/i.test(error.message);
    return { ok: false, reason: tooBig ? 'bad_dimensions' : 'undecodable' };
  }
}

export async function sanitiseIdentityDocument(bytes: Buffer): Promise<SanitisedDocument> {
  const verdict = checkIdentityDocument(bytes); // magic bytes, size, header sanity: cheap refusals first
  if (!verdict.ok) return verdict;
  return verdict.type === 'pdf' ? rewritePdf(bytes) : reencodeImage(bytes, verdict.type);
}
