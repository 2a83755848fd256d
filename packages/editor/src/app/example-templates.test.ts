// Every example journey (examples/<folder>/journey.json) is named and described in both languages
// in the catalogs the template gallery reads (app:exampleTemplateNames.<folder>, …Descriptions), and
// the Chinese there is the file's own: the gallery shows the same words the journey is created with.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type AppCatalog = { exampleTemplateNames: Record<string, string>; exampleTemplateDescriptions: Record<string, string> };
const catalog = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../locales/${lang}/app.json`, import.meta.url), 'utf8')) as AppCatalog;
const en = catalog('en');
const zh = catalog('zh-CN');

const examplesDir = new URL('../../../../examples', import.meta.url).pathname;
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(examplesDir, d.name, 'journey.json')))
  .map((d) => ({
    folder: d.name,
    file: JSON.parse(readFileSync(join(examplesDir, d.name, 'journey.json'), 'utf8')) as {
      name?: string;
      description?: string;
    },
  }));

describe('example templates in the catalogs', () => {
  it('finds the examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples)(
    '$folder: named and described in both languages, the Chinese as in its file',
    ({ folder, file }) => {
      expect(zh.exampleTemplateNames[folder]).toBe(file.name ?? folder);
      expect(zh.exampleTemplateDescriptions[folder]).toBe(file.description ?? '');
      expect(en.exampleTemplateNames[folder]).toMatch(/^[^\u4e00-\u9fff]+$/);
      expect(en.exampleTemplateDescriptions[folder]).toMatch(/^[^\u4e00-\u9fff]+$/);
    },
  );
});
