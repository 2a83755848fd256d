import { describe, expect, it } from 'vitest';
import { spreadsheetCsv, UTF8_BOM } from './csv.ts';

describe('spreadsheetCsv', () => {
  it('quotes what needs it, ends lines in CRLF, and never lets a cell run as a formula', () => {
    expect(
      spreadsheetCsv([
        ['行', '原因'],
        [5, 'a "quoted", text'],
        ['=HYPERLINK("x")', '@SUM(A1)'],
      ]),
    ).toBe('行,原因\r\n5,"a ""quoted"", text"\r\n"\'=HYPERLINK(""x"")","\'@SUM(A1)"\r\n');
    expect(UTF8_BOM).toBe('\uFEFF');
  });
});
