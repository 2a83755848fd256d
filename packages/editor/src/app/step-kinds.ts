/** What each kind of step in a run's timeline means, in words (the profile and the simulation). */
export const STEP_KINDS: Record<string, [string, string]> = {
  enter: ['进入旅程', 'Entered'],
  move: ['到达节点', 'Reached'],
  effect: ['执行动作', 'Action'],
  event: ['收到事件', 'Event received'],
  timer: ['等待结束', 'Wait over'],
  error: ['出错', 'Error'],
  exit: ['离开旅程', 'Left'],
  goal: ['达成目标', 'Goal reached'],
  migrate: ['迁移到新版本', 'Moved to new version'],
  retry: ['运营重试', 'Retried by an operator'],
};

/** A step kind in the UI language; a kind this build does not know reads as a plain "step". */
export function stepKindText(kind: string, locale: 'zh-CN' | 'en'): string {
  const words = STEP_KINDS[kind];
  if (words) return words[locale === 'en' ? 1 : 0];
  return locale === 'en' ? 'Step' : '步骤';
}
