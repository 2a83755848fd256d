import { apiErrorDetail } from '@siyu/shared';
import iconv from 'iconv-lite';
import { ImportFileError } from './import-error.ts';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'gbk' | 'utf-16le' | 'utf-16be';

/** Which bytes of the first 4 KB are NUL, at even and odd offsets: UTF-16 text has them on one side. */
function nulPattern(bytes: Uint8Array): { even: number; odd: number; pairs: number } {
  const n = Math.min(bytes.length, 4096);
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (bytes[i] === 0) {
      if (i % 2 === 0) even++;
      else odd++;
    }
  }
  return { even, odd, pairs: Math.floor(n / 2) };
}

/**
 * Turns the bytes of a CSV into text. Excel in China saves GBK (really GB18030) without a BOM;
 * other tools save UTF-8 with or without a BOM; Excel's "Unicode text" is UTF-16 with a BOM, and
 * some exports drop the BOM. Bytes that are valid UTF-8 are read as UTF-8, anything else as
 * GB18030 (a superset of GBK). A file with NUL bytes that is not UTF-16 is not text at all
 * (a PDF, an image, an old .xls): that is an ImportFileError, not a "missing column".
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: DetectedEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const nul = nulPattern(bytes);
  if (nul.even + nul.odd > 0) {
    // ASCII-heavy UTF-16 (digits, commas) has a NUL in most code units, all on one side.
    if (nul.even === 0 && nul.odd >= nul.pairs / 4) {
      return { text: new TextDecoder('utf-16le').decode(bytes), encoding: 'utf-16le' };
    }
    if (nul.odd === 0 && nul.even >= nul.pairs / 4) {
      return { text: new TextDecoder('utf-16be').decode(bytes), encoding: 'utf-16be' };
    }
    throw new ImportFileError('NOT_TEXT', apiErrorDetail('import.notText'));
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gbk' };
  }
}

/**
 * Whether decoded text looks like the wrong encoding was used: replacement characters (bytes
 * that are invalid in it), C0 control characters other than tab/newlines, or private-use code
 * points (GB18030 maps unassigned byte pairs there).
 */
export function looksGarbled(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const control = c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d;
    if (control || c === 0xfffd || (c >= 0xe000 && c <= 0xf8ff)) return true;
  }
  return false;
}
