import { describe, expect, it } from 'vitest';
import { galleryHtml } from './screenshot-gallery.ts';

describe('screenshot gallery', () => {
  it('groups screenshots by test file, links each, and escapes names', () => {
    const html = galleryHtml(['words-02-en.png', 'acceptance-01.png', 'words-01-zh.png', 'notes.txt', 'x-"<b>.png']);
    expect(html).toContain('Screenshots (4)');
    expect(html.indexOf('<h2>acceptance</h2>')).toBeLessThan(html.indexOf('<h2>words</h2>'));
    expect(html.indexOf('words-01-zh.png')).toBeLessThan(html.indexOf('words-02-en.png'));
    expect(html).not.toContain('notes.txt');
    expect(html).not.toContain('<b>');
    expect(html).toContain('x-%22%3Cb%3E.png');
  });
});
