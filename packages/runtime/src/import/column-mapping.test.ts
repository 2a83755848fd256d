import { describe, expect, it } from 'vitest';
import { columnMapOf, mappingFromFlags, planColumns } from './column-mapping.ts';
import { ImportFileError } from './import-error.ts';

const header = ['\uFEFFTel (mobile)', 'Member', '手机', '姓名', 'City', ''];

describe('planColumns', () => {
  it('guesses what it knows and leaves the rest as attributes', () => {
    expect(planColumns(header).map((c) => [c.header, c.field, c.chosen])).toEqual([
      ['Tel (mobile)', 'attribute:Tel (mobile)', false],
      ['Member', 'attribute:Member', false],
      ['手机', 'phone', false],
      ['姓名', 'name', false],
      ['City', 'attribute:City', false],
      ['', 'ignore', false],
    ]);
  });

  it("takes the operator's choice over the guess, and a chosen field is never guessed for another column", () => {
    const plan = planColumns(header, { 'Tel (mobile)': 'phone', Member: 'externalId', 手机: 'attribute:备用手机' });
    expect(plan.map((c) => [c.field, c.chosen])).toEqual([
      ['phone', true],
      ['externalId', true],
      ['attribute:备用手机', true],
      ['name', false],
      ['attribute:City', false],
      ['ignore', false],
    ]);
    expect(columnMapOf(plan)).toEqual({
      known: { phone: 0, externalId: 1, name: 3 },
      orders: {},
      attributes: [
        { index: 2, key: '备用手机' },
        { index: 4, key: 'City' },
      ],
    });
    // Unmapped, the first phone-like header is the phone; the operator moving it elsewhere frees it.
    expect(planColumns(['手机', 'Tel'], { Tel: 'phone' }).map((c) => c.field)).toEqual(['attribute:手机', 'phone']);
  });

  it('names a mapped column the file does not have, and two columns given one field', () => {
    expect(() => planColumns(header, { Phone: 'phone' })).toThrow(
      /no column "Phone" \(its columns: Tel \(mobile\), Member/,
    );
    expect(() => planColumns(header, { 'Tel (mobile)': 'phone', 手机: 'phone' })).toThrow(
      /"Tel \(mobile\)" and "手机" are both mapped to phone/,
    );
  });
});

describe('mappingFromFlags', () => {
  it("reads --map 'column=field', splitting at the last =", () => {
    expect(mappingFromFlags(['Tel (mobile)=phone', 'a=b=externalId', ' 城市 = attribute:城市 '])).toEqual({
      'Tel (mobile)': 'phone',
      'a=b': 'externalId',
      城市: 'attribute:城市',
    });
  });

  it('says which flag or field is wrong', () => {
    expect(() => mappingFromFlags(['Tel'])).toThrow(ImportFileError);
    expect(() => mappingFromFlags(['Tel'])).toThrow(/"Tel" should read column=field/);
    expect(() => mappingFromFlags(['Tel=mobile'])).toThrow(/Column "Tel": "mobile" is not a field/);
  });
});
