import iconv from 'iconv-lite';

export type DetectedEncoding = 'utf-8' | 'utf-8-bom' | 'gbk' | 'utf-16le';

/**
 * Turns the bytes of a CSV into text. Excel in China saves GBK (really GB18030) without a BOM;
 * other tools save UTF-8 with or without a BOM. Bytes that are valid UTF-8 are read as UTF-8,
 * anything else as GB18030 (a superset of GBK).
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: DetectedEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gbk' };
  }
}
