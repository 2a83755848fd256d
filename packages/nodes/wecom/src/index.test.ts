import { type CustomerView, createNodeRegistry, outputsOf } from '@siyu/shared';
import { describe, expect, it } from 'vitest';
import {
  AttachmentSchema,
  inviteToGroup,
  markTags,
  massMessage,
  renderTemplate,
  WELCOME_CODE_TTL_MS,
  wecomPackage,
  welcome,
} from './index.ts';

const customer: CustomerView = {
  id: 'c1',
  tags: [],
  attributes: { city: '上海' },
  identities: { wecomExternalUserId: 'wmEXT1' },
};
const ctx = { customer, now: new Date('2026-11-23T03:00:00Z'), random: 0.5, visitKey: 'i:n:1' };

/** A node's default config with the group chat an operator would enter. */
const filled = (n: (typeof wecomPackage.nodes)[number]) =>
  n === inviteToGroup
    ? { ...inviteToGroup.defaultConfig, chatIds: ['wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA'] }
    : n.defaultConfig;

describe('wecom definitions', () => {
  it('every default config parses and every node has zh-CN and en labels', () => {
    expect(() => createNodeRegistry([wecomPackage])).not.toThrow();
    for (const node of wecomPackage.nodes) {
      // A new invite names no group chat (the operator enters theirs); every other default parses.
      const issues =
        node.config.safeParse(node.defaultConfig).error?.issues.map((i: { path: PropertyKey[] }) => i.path.join('.')) ??
        [];
      expect(issues, node.type).toEqual(node === inviteToGroup ? ['chatIds'] : []);
      expect(node.label['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
      expect(node.label.en.length).toBeGreaterThan(0);
      expect(node.icon).not.toBe('');
    }
    expect(wecomPackage.nodes.map((n) => n.type)).toEqual([
      'wecom.welcome',
      'wecom.markTags',
      'wecom.inviteToGroup',
      'wecom.massMessage',
    ]);
  });

  it("link-card URLs are http(s) only: a javascript: card would run in the customer's WeChat", () => {
    const card = (url: string, picurl?: string) =>
      AttachmentSchema.safeParse({ msgtype: 'link', link: { title: '新品', url, ...(picurl ? { picurl } : {}) } });
    expect(card('https://shop.example.cn/new', 'https://img.example.cn/a.png').success).toBe(true);
    expect(card('javascript:alert(1)').error?.issues[0]?.path).toEqual(['link', 'url']);
    expect(card('https://shop.example.cn/', 'data:image/svg+xml,<svg onload=alert(1)>').error?.issues[0]?.path).toEqual(
      ['link', 'picurl'],
    );
  });

  it('has the fixed ports', () => {
    const ports = (n: (typeof wecomPackage.nodes)[number]) => outputsOf(n, n.config.parse(filled(n))).map((p) => p.id);
    expect(ports(welcome)).toEqual(['sent', 'failed', 'skipped']);
    expect(ports(markTags)).toEqual(['next', 'failed']);
    expect(ports(inviteToGroup)).toEqual(['joined', 'notJoined']);
    expect(ports(massMessage)).toEqual(['sent', 'failed', 'skipped']);
    expect(welcome.effect?.channel).toBe('wecom');
    expect(massMessage.effect?.channel).toBe('wecom');
  });

  it('bad config names the field', () => {
    const empty = welcome.config.safeParse({ text: '  ' });
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]?.path).toEqual(['text']);
    const tooMany = inviteToGroup.config.safeParse({
      ...filled(inviteToGroup),
      chatIds: ['a', 'b', 'c', 'd', 'e', 'f'],
    });
    expect(tooMany.error?.issues[0]?.path).toEqual(['chatIds']);
    const longState = inviteToGroup.config.safeParse({ ...filled(inviteToGroup), state: 'x'.repeat(31) });
    expect(longState.error?.issues[0]?.path).toEqual(['state']);
    const noTags = markTags.config.safeParse({ groupName: 'g', add: [], remove: [] });
    expect(noTags.error?.issues[0]?.path).toEqual(['add']);
  });

  it('inviteToGroup waits for a join with its state and chat, or times out', () => {
    const config = inviteToGroup.config.parse(filled(inviteToGroup));
    const spec = inviteToGroup.await?.(config, { ...ctx, effectResult: { port: 'joined' } });
    expect(spec?.events?.[0]).toMatchObject({ type: 'wecom.groupJoined', port: 'joined' });
    expect(spec?.events?.[0]?.filter?.conditions).toContainEqual({
      field: 'data.state',
      op: 'eq',
      value: config.state,
    });
    expect(spec?.timeout?.at.getTime()).toBe(ctx.now.getTime() + 3 * 86_400_000);
    const failed = inviteToGroup.await?.(config, { ...ctx, effectResult: { port: 'notJoined' } });
    expect(failed).toEqual({ timeout: { at: ctx.now, port: 'notJoined' } });
  });

  it('renders variables from the customer and leaves missing ones empty', () => {
    expect(renderTemplate('你好{{ city }} {{identities.wecomExternalUserId}} {{displayName}}!', customer)).toBe(
      '你好上海 wmEXT1 !',
    );
    expect(WELCOME_CODE_TTL_MS).toBe(20_000);
  });
});
