import type { Locale } from '@siyu/shared';

/**
 * What each lifecycle action does to the customers in a journey, in both languages, as the server
 * does it (packages/runtime/src/journeys/lifecycle.ts; its tests check the behaviour). The confirms
 * and the list's notes read from here, so the UI never promises what the engine does not do.
 */
type Text = (name: string, inFlight: number) => [zh: string, en: string];

/** "The 1 customer" / "The 7 customers". */
const theCustomers = (n: number) => (n === 1 ? 'The 1 customer' : `The ${n} customers`);

export const LIFECYCLE_TEXT = {
  pauseTitle: (name) => [`暂停旅程「${name}」？`, `Pause "${name}"?`],
  pauseBody: (_name, n) => [
    `暂停后不再有新客户进入：暂停期间触发的进入事件、到期的人群计划都不会让客户进入，恢复后也不会补进。` +
      `旅程中现有的 ${n} 位客户继续进行：等待照常到期，消息照常发送，事件照常送达。` +
      `如需让他们也停下，请使用"停止"。`,
    'Nobody new enters while it is paused: entry events and audience schedules during the pause enrol no one, ' +
      `not even after resuming. ${theCustomers(n)} already in it ${n === 1 ? 'carries' : 'carry'} on: waits end on time, ` +
      'messages are sent and events reach them. To end their runs too, use Stop.',
  ],
  pausedNote: (_name, n) => [
    `已暂停：不再有新客户进入；旅程中的 ${n} 位客户继续进行`,
    `Paused: nobody new enters; the ${n} in it carry on`,
  ],
  stopTitle: (name) => [`停止旅程「${name}」？`, `Stop "${name}"?`],
  stopBody: (_name, n) => [
    `旅程中的 ${n} 位客户将立即结束旅程，之后的等待和消息都不再执行，客户档案的时间线会记下你填写的原因。` +
      `不再有新客户进入。这一步不能撤销；重新发布后旅程才会再次接收新客户。`,
    `${theCustomers(n)} in it now ${n === 1 ? 'ends its run' : 'end their runs'} at once: nothing after this runs for them (no waits, no messages), ` +
      "and each customer's timeline records the reason you give. Nobody new enters. This cannot be undone; " +
      'publishing again opens the journey to new customers.',
  ],
  stoppedNote: () => ['已停止', 'Stopped'],
  archiveTitle: (name) => [`归档旅程「${name}」？`, `Archive "${name}"?`],
  archiveBody: (_name, n) => [
    `归档后旅程从列表移到"已归档"，不再有新客户进入。旅程中现有的 ${n} 位客户不受影响，会按原流程走完` +
      `（等待照常到期，消息照常发送）；如需让他们停下，请先停止旅程。归档的旅程可以在"已归档"中恢复。`,
    `It moves to Archived and nobody new enters. ${theCustomers(n)} in it now ${n === 1 ? 'is' : 'are'} not affected ` +
      'and finish their runs (waits end, messages are sent); to end their runs, stop the journey first. ' +
      'You can restore it from Archived.',
  ],
  restoreBody: () => [
    '恢复后旅程回到列表：发布过的旅程以"已暂停"状态回来（恢复运行前不会有新客户进入），停止过的仍为"已停止"，未发布的仍是草稿。',
    'It returns to the list: a published journey comes back paused (nobody enters until you resume it), ' +
      'a stopped one stays stopped, an unpublished one stays a draft.',
  ],
  rollbackTitle: (name) => [`回滚到第 ${name} 版`, `Roll back to version ${name}`],
  rollbackBody: () => [
    '该版本将作为一个新版本重新发布并立即生效，当前草稿会被它替换（未发布的修改将丢失）。旅程中的客户默认留在原版本，也可以在下方迁移。',
    'That version is published again as a new version and goes live now; the current draft is replaced by it ' +
      '(unpublished edits are lost). Customers in the journey stay on their version unless you move them below.',
  ],
} satisfies Record<string, Text>;

export type LifecycleTextKey = keyof typeof LIFECYCLE_TEXT;

/** One lifecycle text in the given language. */
export function lifecycleText(key: LifecycleTextKey, locale: Locale, name = '', inFlight = 0): string {
  const [zh, en] = LIFECYCLE_TEXT[key](name, inFlight);
  return locale === 'en' ? en : zh;
}
