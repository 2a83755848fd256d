// Where runs end or score: the goal marker and the exit.
import { defineNode, t } from '@siyu/shared';
import { z } from 'zod';

export const goal = defineNode({
  type: 'core.goal',
  version: 1,
  category: 'goal',
  icon: 'trophy',
  label: t('达成目标', 'Goal reached'),
  description: t(
    '到达此处计为转化（报表和对照组提升按此统计）；可以继续连接后续步骤',
    'Reaching this counts as a conversion (reports and holdout uplift use it); may continue to more steps',
  ),
  config: z.object({
    name: z
      .string()
      .trim()
      .max(40)
      .default('')
      .meta({ label: t('目标名称', 'Goal name') }),
  }),
  defaultConfig: { name: '' },
  outputs: [{ id: 'next', label: t('继续', 'Next'), required: false }],
  reachesGoal: true,
});

export const exit = defineNode({
  type: 'core.exit',
  version: 1,
  category: 'goal',
  icon: 'flag',
  label: t('退出旅程', 'Exit journey'),
  description: t('客户在此离开旅程，并记录原因', 'The customer leaves the journey here, with a reason'),
  config: z.object({
    reason: z
      .string()
      .trim()
      .min(1)
      .max(60)
      .default('完成')
      .meta({ label: t('退出原因', 'Reason') }),
  }),
  defaultConfig: { reason: '完成' },
  outputs: [],
  ends: 'exited',
  endReason: (config) => config.reason,
});
