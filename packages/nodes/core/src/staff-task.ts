// Staff task (SOP reminder): where no API can act for a staff member (a 1:1 chat, a phone call,
// moments), the journey asks the customer's owner to do it, then waits until it is marked done or
// expires.
import { checkTemplateBraces, DurationSchema, defineNode, durationToMs, resourceRef, t } from '@siyu/shared';
import { z } from 'zod';

/** Event the server emits when a staff member marks a task done (data.taskId = the task id). */
export const STAFF_TASK_COMPLETED = 'staffTask.completed';
/**
 * Event the server emits when a staff member skips a task with a note (the customer is not
 * reachable, the chat is not appropriate): the journey goes on by the "expired" port at once
 * instead of waiting out the expiry.
 */
export const STAFF_TASK_SKIPPED = 'staffTask.skipped';

export const staffTask = defineNode({
  type: 'core.staffTask',
  version: 1,
  category: 'integration',
  icon: 'clipboard',
  label: t('员工任务', 'Staff task'),
  description: t(
    '给客户的归属员工推送 SOP 任务（如一对一私聊、电话回访），等待员工标记完成或任务过期',
    "Pushes an SOP task to the customer's owner (a 1:1 chat, a call), then waits until it is marked done or expires",
  ),
  config: z.object({
    title: z
      .string()
      .trim()
      .min(1, { message: '请填写任务标题 / enter a title' })
      .max(60)
      .superRefine(checkTemplateBraces)
      .meta({ label: t('任务标题', 'Title') }),
    body: z
      .string()
      .trim()
      .max(2000)
      .superRefine(checkTemplateBraces)
      .default('')
      .meta({
        widget: 'template',
        label: t('任务说明', 'Instructions'),
      }),
    /** Used when the customer has no owner. */
    fallbackAssignee: resourceRef(
      'wecom.staff',
      z
        .string()
        .trim()
        .max(64)
        .default('')
        .meta({ widget: 'wecomUser', label: t('无归属员工时指派给', 'If no owner, assign to') }),
    ),
    expiresAfter: DurationSchema.meta({ widget: 'duration', label: t('过期时间', 'Expires after') }),
  }),
  defaultConfig: { title: '一对一私聊回访', body: '', fallbackAssignee: '', expiresAfter: { amount: 2, unit: 'days' } },
  outputs: [
    { id: 'done', label: t('已完成', 'Done') },
    { id: 'expired', label: t('已过期或跳过', 'Expired or skipped') },
  ],
  // Creating the task is the effect (once per visit); the wait for the staff member follows it.
  effect: { failurePort: 'expired' },
  await: (config, ctx) => {
    const thisTask = {
      match: 'all' as const,
      conditions: [
        { field: 'data.taskId', op: 'eq' as const, value: String(ctx.effectResult?.data?.taskId ?? ctx.visitKey) },
      ],
    };
    return {
      events: [
        { type: STAFF_TASK_COMPLETED, port: 'done', filter: thisTask },
        { type: STAFF_TASK_SKIPPED, port: 'expired', filter: thisTask },
      ],
      timeout: { at: new Date(ctx.now.getTime() + durationToMs(config.expiresAfter)), port: 'expired' },
    };
  },
  waitsFor: () => [STAFF_TASK_COMPLETED, STAFF_TASK_SKIPPED],
});
