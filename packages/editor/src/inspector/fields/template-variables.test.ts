import { describe, expect, it } from 'vitest';
import { templateVariables } from './template-variables.ts';

const kinds = (text: string, options: Parameters<typeof templateVariables>[1]) =>
  templateVariables(text, options).map((u) => [u.token, u.kind === 'field' ? u.field : u.kind]);

describe('templateVariables', () => {
  const attributeNames = ['城市', '等级', 'address'];

  it('names the customer fields, the attributes customers have, and what nothing fills', () => {
    expect(
      kinds(
        '{{displayName}}您好，{{ attributes.等级 }}会员（{{城市}}）{{customer.channel.code}} {{dispalyName}} {{rfm.segment}}',
        {
          sms: false,
          attributeNames,
        },
      ),
    ).toEqual([
      ['{{displayName}}', 'displayName'],
      ['{{ attributes.等级 }}', 'attribute'],
      ['{{城市}}', 'attribute'],
      ['{{customer.channel.code}}', 'channelCode'],
      ['{{dispalyName}}', 'unknown'],
      ['{{rfm.segment}}', 'rfmSegment'],
    ]);
  });

  it('knows the link in an SMS only, and never under customer.', () => {
    expect(kinds('{{link}}', { sms: true, attributeNames })).toEqual([['{{link}}', 'link']]);
    expect(kinds('{{link}} {{customer.link}}', { sms: false, attributeNames })).toEqual([
      ['{{link}}', 'unknown'],
      ['{{customer.link}}', 'unknown'],
    ]);
  });

  it('flags braces that are not a name: they are sent as typed', () => {
    expect(kinds('{{客户 名}} {{}} {{a-b}}', { sms: false, attributeNames })).toEqual([
      ['{{客户 名}}', 'literal'],
      ['{{}}', 'literal'],
      ['{{a-b}}', 'unknown'], // a name (an import header may have a dash), just not one customers have
    ]);
  });

  it('reads into an attribute whose value is an object; lists each token once', () => {
    expect(kinds('{{attributes.address.city}}{{城市}}{{城市}}', { sms: false, attributeNames })).toEqual([
      ['{{attributes.address.city}}', 'attribute'],
      ['{{城市}}', 'attribute'],
    ]);
  });

  it('cannot tell an attribute from a typo without the attribute names', () => {
    expect(kinds('{{城市}} {{displayName}}', { sms: false })).toEqual([
      ['{{城市}}', 'unchecked'],
      ['{{displayName}}', 'displayName'],
    ]);
  });
});
