import { t } from '@siyu/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLanguage } from '../locales/catalogs.ts';
import { channelName } from './channel-name.ts';

beforeAll(() => loadLanguage('en'));

const packages = [{ name: 'dingtalk', label: t('钉钉', 'DingTalk'), nodes: [] }];

describe('channelName', () => {
  it('names built-in channels from the catalog, package channels by the package label, others as given', () => {
    expect(channelName('sms', 'zh-CN', packages)).toBe('短信');
    expect(channelName('sms', 'en', packages)).toBe('SMS');
    expect(channelName('dingtalk', 'zh-CN', packages)).toBe('钉钉');
    expect(channelName('dingtalk', 'en', packages)).toBe('DingTalk');
    expect(channelName('dingtalk.robot', 'en', packages)).toBe('dingtalk.robot');
  });
});
