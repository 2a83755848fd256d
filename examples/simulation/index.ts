// The playbook examples' simulation kit (see examples/README.md). The tests import everything
// through here, so the example folders need no package.json of their own.
export { hashToUnit, pickWeighted } from '@siyu/shared';
export {
  chinaTimeText,
  contactAdded,
  contactDeleted,
  groupJoined,
  orderPlaced,
  scanCode,
  smsReplies,
  tapSmsLink,
} from './callbacks.ts';
export { endStates, messagesTwicePerStep, sentInQuietHours, smsAfterOptOut, tagCounts, tally } from './checks.ts';
export { afterQuietHours, chinaHour, chinaTime, DAY, HOUR, inQuietHours, MINUTE } from './china-time.ts';
export { type Api, EXAMPLES_DIR, type Playbook, startPlaybook } from './playbook.ts';
export { playbookRun, scaled } from './playbook-run.ts';
export { mulberry32, Rng } from './random.ts';
export { type Action, play } from './timeline.ts';
