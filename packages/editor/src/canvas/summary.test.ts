import { audienceEntry } from '@siyu/nodes-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configFieldWidget } from '../app/problem-labels.ts';
import { loadLanguage } from '../locales/catalogs.ts';
import { summarize } from './summary.ts';

beforeAll(() => loadLanguage('en'));

describe('summarize', () => {
  const sms = { templateCode: '2001', signName: '品牌', content: '欢迎入会', params: {} };

  it('names fields by their labels, never by their config keys', () => {
    expect(summarize(sms, 'zh-CN')).toBe('模板编号：2001 · 短信签名：品牌');
    expect(summarize(sms, 'en')).toBe('Template code: 2001 · SMS signature: 品牌');
    expect(summarize(sms, 'en')).not.toContain('templateCode');
  });

  it("names a third-party package's fields by its schema's titles", () => {
    const lottery = { prizePool: 'spring', drawsPerCustomer: 1 };
    const titles: Record<string, string> = { prizePool: '奖池', drawsPerCustomer: '每人抽奖次数' };
    expect(summarize(lottery, 'zh-CN', (key) => ({ label: titles[key] }))).toBe('奖池：spring · 每人抽奖次数：1');
  });

  it('shows a single field without a label', () => {
    expect(summarize({ reason: '完成' }, 'zh-CN')).toBe('完成');
  });

  it('words durations with their unit and counts conditions', () => {
    expect(summarize({ duration: { amount: 3, unit: 'days' } }, 'zh-CN')).toBe('3 天');
    expect(summarize({ duration: { amount: 3, unit: 'days' } }, 'en')).toBe('3 d');
    expect(summarize({ when: { all: [{}] } }, 'en')).toBe('1 condition');
    expect(summarize({ when: { any: [{}, {}] } }, 'en')).toBe('2 conditions');
    expect(summarize({ when: { any: [{}, {}] } }, 'zh-CN')).toBe('2 个条件');
  });

  it('names an event by its words, a custom event as custom', () => {
    const eventType = () => ({ widget: 'eventType' });
    expect(summarize({ event: 'channel.entered' }, 'zh-CN', eventType)).toBe('通过渠道进入');
    expect(summarize({ event: 'channel.entered' }, 'en', eventType)).toBe('Came in through a channel');
    expect(summarize({ event: 'vip.upgraded' }, 'zh-CN', eventType)).toBe('自定义事件 vip.upgraded');
    expect(summarize({ event: 'vip.upgraded' }, 'en', eventType)).toBe('custom event vip.upgraded');
  });

  it('shows a switched-on flag by its label and leaves a switched-off one out, never true/false', () => {
    const label = (key: string) => ({ label: key === 'tagChannel' ? '按来源渠道和版本打标签' : undefined });
    expect(summarize({ add: ['vip'], remove: [], tagChannel: true }, 'zh-CN', label)).toBe(
      '添加标签：vip · 按来源渠道和版本打标签',
    );
    expect(summarize({ add: ['vip', '新客'], remove: [], tagChannel: false }, 'zh-CN', label)).toBe('vip、新客');
    expect(summarize({ add: ['vip', 'new'], tagChannel: false }, 'en')).toBe('vip, new');
    expect(summarize({ add: [], remove: [], tagChannel: true }, 'en', label)).not.toMatch(/true|false/);
  });

  it('shows a choice by its word, not its value: an audience entry on a schedule', async () => {
    const config = z.object({ frequency: z.enum(['once', 'calendar']) });
    const field = (key: string) => ({ widget: configFieldWidget(config, key) });
    expect(summarize({ frequency: 'calendar' }, 'zh-CN', field)).toBe('按日程');
    expect(summarize({ frequency: 'once' }, 'en', field)).toBe('Only once');
    // The real node asks for its 频率 as a select: still worded (the card said "calendar").
    const audience = (key: string) => ({ widget: configFieldWidget(audienceEntry.config, key) });
    expect(summarize({ schedule: 'calendar' }, 'zh-CN', audience)).toBe('按日程');
    expect(summarize({ schedule: 'repeat' }, 'en', audience)).not.toContain('repeat');
    // Free text stays as written, even when it happens to equal a choice's value.
    expect(summarize({ reason: 'once' }, 'en', () => ({}))).toBe('once');
  });

  it("words an attribute node's changes (it read 未配置 for any change)", () => {
    const config = {
      changes: [
        { op: 'set', name: 'layer', value: 'core' },
        { op: 'increment', name: 'points', by: 10 },
        { op: 'unset', name: 'coupon' },
      ],
    };
    expect(summarize(config, 'zh-CN')).toBe('layer = core、points +10、清除 coupon');
    expect(summarize(config, 'en')).toBe('layer = core, points +10, clear coupon');
    expect(summarize({ changes: [{ op: 'increment', name: 'points', by: -5 }] }, 'en')).toBe('points -5');
  });
});
