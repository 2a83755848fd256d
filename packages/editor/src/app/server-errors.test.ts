import { describe, expect, it } from 'vitest';
import { localizeErrorBody } from './server-errors.ts';

const answer = () => ({
  error: {
    message: 'Journey "j1" not found',
    code: -32004,
    data: { code: 'NOT_FOUND', error: { key: 'common.notFound', params: { what: 'journey', id: 'j1' } } },
  },
});

describe('localizeErrorBody', () => {
  it("words a coded error in the operator's language, in one answer or a batch", () => {
    expect((localizeErrorBody(answer(), 'zh-CN') as ReturnType<typeof answer>).error.message).toBe('旅程「j1」不存在');
    const batch = localizeErrorBody([{ result: { data: 1 } }, answer()], 'en') as [unknown, ReturnType<typeof answer>];
    expect(batch[1].error.message).toBe('Journey "j1" not found');
  });

  it('words a role refusal and a failed publish without a joined 中文 / English sentence', () => {
    const refusal = {
      error: { message: 'x', data: { error: { key: 'auth.roleRequired', params: { role: 'operator' } } } },
    };
    expect((localizeErrorBody(refusal, 'zh-CN') as typeof refusal).error.message).toBe('需要「运营」权限');
    const publish = { error: { message: 'x', data: { error: { key: 'journey.hasProblems', params: { count: 2 } } } } };
    const zh = (localizeErrorBody(publish, 'zh-CN') as typeof publish).error.message;
    expect(zh).toBe('旅程有 2 个问题，请在问题面板中修正后再发布');
    expect(zh).not.toMatch(/[A-Za-z]/);
  });

  it('keeps the message of an error without a known code', () => {
    const other = { error: { message: 'boom', data: { error: { key: 'nope.unknown', params: {} } } } };
    expect((localizeErrorBody(other, 'zh-CN') as typeof other).error.message).toBe('boom');
    expect(localizeErrorBody({ result: { data: 1 } }, 'en')).toEqual({ result: { data: 1 } });
  });
});
