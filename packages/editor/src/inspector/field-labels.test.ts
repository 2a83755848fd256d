// Every field a shipped node's form shows is named in words in both languages: a label in the
// node's schema, or the inspector's catalog of config keys. Without one the form shows the config
// key itself ("sender", "attachments"), which an operator should never read.
import { corePackage } from '@siyu/nodes-core';
import { couponsPackage } from '@siyu/nodes-coupons';
import { smsPackage } from '@siyu/nodes-sms';
import { wecomPackage } from '@siyu/nodes-wecom';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage, tFor } from '../locales/catalogs.ts';
import { type JsonSchema, resolve, toJsonSchema, unwrapOptional, widgetOf } from './json-schema.ts';

beforeAll(() => loadLanguage('en'));

/** Widgets that draw their own form (their inner keys never show as labels). */
const OWN_FORM = new Set([
  'entrySchedule',
  'filter',
  'attachments',
  'keyValue',
  'smsVariables',
  'duration',
  'attributeChanges',
]);

function unlabelled(schema: JsonSchema, root: JsonSchema, path: string, out: string[]): void {
  const properties = schema.properties ?? {};
  for (const [key, raw] of Object.entries(properties)) {
    const field = unwrapOptional(resolve(raw, root));
    const where = path ? `${path}.${key}` : key;
    const named = (locale: 'zh-CN' | 'en') =>
      (typeof field.label === 'object' && field.label[locale]) ||
      field.title ||
      tFor(locale)(`inspector:keys.${key}`, { defaultValue: '' });
    if (field.readOnly || widgetOf(field) === 'hidden' || widgetOf(field) === 'portId') continue;
    if (!named('zh-CN') || !named('en')) out.push(where);
    // A choice's options are worded by the inspector's catalog of values (EnumField).
    for (const option of field.enum ?? []) {
      const worded = (locale: 'zh-CN' | 'en') =>
        tFor(locale)(`inspector:enums.${String(option)}`, { defaultValue: '' });
      if (!worded('zh-CN') || !worded('en')) out.push(`${where} = ${String(option)}`);
    }
    if (OWN_FORM.has(widgetOf(field) ?? '')) continue;
    if (field.properties) unlabelled(field, root, where, out);
    const items = field.items ? unwrapOptional(resolve(field.items, root)) : undefined;
    if (items?.properties) unlabelled(items, root, `${where}[]`, out);
  }
}

describe('node forms', () => {
  it('name every field of every shipped node in words, in Chinese and in English', () => {
    const missing: string[] = [];
    for (const definition of [corePackage, smsPackage, wecomPackage, couponsPackage].flatMap((p) => p.nodes)) {
      const schema = toJsonSchema(definition.config);
      const found: string[] = [];
      unlabelled(schema, schema, '', found);
      for (const field of found) missing.push(`${definition.type}: ${field}`);
    }
    expect(missing).toEqual([]);
  });
});
