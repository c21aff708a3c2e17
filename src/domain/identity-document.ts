// S29 of SECURITY.md: an identity document is judged by its bytes, never by its name or
// declared type. PDF, JPEG or PNG only; images must be whole and of sane size; PDFs must
// carry no active content. These are the cheap checks of the header and trailer; the file is
// then decoded and rewritten by adapters/document-sanitiser.ts before anything is stored.

export const maxDocumentBytes = 5 * 1024 * 1024; // 5 MiB
const minSide = 200;
const maxSide = 10_000;

export type DocumentType = 'pdf' | 'jpeg' | 'png';
export type DocumentVerdict =
  | { ok: true; type: DocumentType; mediaType: string }
  | { ok: false; reason: 'empty' | 'too_large' | 'unknown_type' | 'truncated' | 'bad_dimensions' | 'active_content' };

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const activePdfNames = ['/JavaScript', '/JS', '/Launch', '/EmbeddedFile', '/RichMedia', '/XFA', '/AA', '/SubmitForm', '/ImportData'];

export function saneImageSize(width: number, height: number): boolean {
  return width >= minSide && height >= minSide && width <= maxSide && height <= maxSide;
}

function checkPng(bytes: Buffer): DocumentVerdict {
  if (bytes.length < 45 || bytes.toString('latin1', 12, 16) !== 'IHDR') return { ok: false, reason: 'truncated' };
  const iend = bytes.subarray(bytes.length - 12);
  if (iend.toString('latin1', 4, 8) !== 'IEND') return { ok: false, reason: 'truncated' };
  if (!saneImageSize(bytes.readUInt32BE(16), bytes.readUInt32BE(20))) return { ok: false, reason: 'bad_dimensions' };
  return { ok: true, type: 'png', mediaType: 'image/png' };
}

/** Walks the JPEG segments to the frame header (SOFn), which holds the dimensions. */
function jpegDimensions(bytes: Buffer): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1]!;
    const length = bytes.readUInt16BE(offset + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  return null;
}

function checkJpeg(bytes: Buffer): DocumentVerdict {
  if (bytes[bytes.length - 2] !== 0xff || bytes[bytes.length - 1] !== 0xd9) return { ok: false, reason: 'truncated' };
  const size = jpegDimensions(bytes);
  if (!size) return { ok: false, reason: 'truncated' };
  if (!saneImageSize(size.width, size.height)) return { ok: false, reason: 'bad_dimensions' };
  return { ok: true, type: 'jpeg', mediaType: 'image/jpeg' };
}

function checkPdf(bytes: Buffer): DocumentVerdict {
  const text = bytes.toString('latin1');
  if (!text.slice(-1024).includes('%%EOF')) return { ok: false, reason: 'truncated' };
  // Names may be hex-escaped (#4A for J), so they are decoded before looking.
  const decoded = text.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  if (activePdfNames.some((name) => new RegExp(`${name.replace('/', '\\/')}(?![A-Za-z])`).test(decoded))) {
    return { ok: false, reason: 'active_content' };
  }
  return { ok: true, type: 'pdf', mediaType: 'application/pdf' };
}

export function checkIdentityDocument(bytes: Buffer): DocumentVerdict {
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > maxDocumentBytes) return { ok: false, reason: 'too_large' };
  if (bytes.subarray(0, 8).equals(pngSignature)) return checkPng(bytes);
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return checkJpeg(bytes);
  if (bytes.toString('latin1', 0, 5) === '%PDF-') return checkPdf(bytes);
  return { ok: false, reason: 'unknown_type' };
}
