import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The browser tests' screenshots: test-output/screenshots/<test file>-<step>.png. */
export const SCREENSHOTS_DIR = join(import.meta.dirname, '..', 'test-output', 'screenshots');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * One static page showing every screenshot, grouped by the test file that took it (the name's
 * part before the first "-"), so a reviewer opens one file to see the UI in both languages.
 */
export function galleryHtml(files: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const file of [...files].filter((f) => f.endsWith('.png')).sort()) {
    const group = file.split('-')[0] ?? file;
    groups.set(group, [...(groups.get(group) ?? []), file]);
  }
  const sections = [...groups].map(
    ([group, shots]) =>
      `<section><h2>${escapeHtml(group)}</h2>${shots
        .map((f) => {
          const src = escapeHtml(encodeURIComponent(f));
          return `<figure><a href="${src}"><img src="${src}" loading="lazy" alt=""></a><figcaption>${escapeHtml(f)}</figcaption></figure>`;
        })
        .join('')}</section>`,
  );
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Screenshots</title><style>
body{font:14px system-ui,sans-serif;margin:24px}section{display:flex;flex-wrap:wrap;gap:16px}h2{width:100%;margin:24px 0 0}
figure{margin:0;width:360px}img{width:100%;border:1px solid #ccc}figcaption{color:#555;word-break:break-all}
</style><h1>Screenshots (${files.filter((f) => f.endsWith('.png')).length})</h1>${sections.join('')}</html>\n`;
}

/** Writes index.html beside the screenshots, when there are any. */
export function writeScreenshotGallery(dir: string = SCREENSHOTS_DIR): string | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir);
  if (!files.some((f) => f.endsWith('.png'))) return undefined;
  const path = join(dir, 'index.html');
  writeFileSync(path, galleryHtml(files));
  return path;
}
