import { beforeAll, describe, expect, it } from 'vitest';
import { tFor } from '../locales/catalogs.ts';
import { errorReportCsv } from './error-report.ts';

let t: ReturnType<typeof tFor>;
beforeAll(() => {
  t = tFor('zh-CN');
});

describe('the import error report', () => {
  it('lists row, column and reason for Excel (BOM, CRLF), a formula in the uploaded file kept as text', () => {
    const csv = errorReportCsv(t, [
      { row: 3, column: '手机号', code: 'phoneInvalid', value: 'abc', reason: 'bad phone' },
      { row: 9, column: '=HYPERLINK("http://evil")', reason: '=1+1' },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      `\uFEFF${t('importer:report.row')},${t('importer:report.column')},${t('importer:report.reason')}`,
    );
    expect(lines[1]).toBe(`3,手机号,${t('importer:problem.phoneInvalid', { value: 'abc' })}`);
    expect(lines[2]).toBe(`9,"'=HYPERLINK(""http://evil"")","'=1+1"`);
    expect(lines[3]).toBe('');
  });
});
