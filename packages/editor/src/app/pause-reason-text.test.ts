import type { PauseReason } from '@siyu/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../locales/catalogs.ts';
import { pauseReasonText } from './pause-reason-text.ts';

// The words come from the real catalogs; English loads on demand, as in the browser.
beforeAll(() => loadLanguage('en'));

const base: PauseReason = {
  kind: 'versionBroken',
  at: 0,
  journey: { id: 'j_1', name: '新客欢迎' },
  version: { id: 'jv_1', number: 3 },
  node: {
    id: 'n_7f3',
    type: 'lottery.draw',
    title: { 'zh-CN': '抽奖', en: 'Lucky draw' },
    typeVersion: 1,
    installedVersion: 2,
  },
  package: { name: 'lottery', installed: true },
  detail: 'node n_7f3: invalid config',
};

describe('pause reason wording', () => {
  it('names a package the editor knows by its label, not its npm name', () => {
    const packages = [{ name: 'lottery', label: { 'zh-CN': '幸运抽奖', en: 'Lucky draw games' } }];
    expect(pauseReasonText(base, 'zh-CN', packages).cause).toContain('节点包「幸运抽奖」');
    expect(pauseReasonText(base, 'en', packages).cause).toContain('the package “Lucky draw games”');
    expect(pauseReasonText(base, 'en', packages).cause).not.toContain('lottery');
  });

  it('names the journey, node title, package and versions in words, without ids', () => {
    const zh = pauseReasonText(base, 'zh-CN');
    expect(zh.headline).toBe('旅程「新客欢迎」已自动暂停');
    expect(zh.cause).toBe(
      '第 3 版中节点「抽奖」的设置无法被节点包「lottery」读取（保存时为节点第 1 版，现已安装第 2 版）。',
    );
    const en = pauseReasonText(base, 'en');
    expect(en.cause).toBe(
      'Version 3: the settings of the node “Lucky draw” cannot be read by the package “lottery” (saved at node version 1, version 2 is installed).',
    );
    for (const text of [zh, en]) expect(Object.values(text).join(' ')).not.toMatch(/n_7f3|jv_1|j_1/);
  });

  it('says a package is missing, and words an unknown node title', () => {
    const missing = pauseReasonText(
      {
        ...base,
        kind: 'packageMissing',
        node: { id: 'n1', type: 'lottery.draw' },
        package: { name: 'lottery', installed: false },
      },
      'zh-CN',
    );
    expect(missing.cause).toBe('第 3 版中一个节点来自节点包「lottery」，但服务器上没有安装（或没有发现）这个包。');
  });
});
