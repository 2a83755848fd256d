// A channel's display name. The built-in channels have catalog names; a node package's messages
// (deps.sandboxInbox) carry its package name as channel by default, shown as the package's label.
import type { NodePackage } from '@siyu/shared';
import { CHANNEL_NAMES } from './format.ts';

export function channelName(channel: string, locale: string, packages: readonly NodePackage[]): string {
  const en = locale === 'en';
  const builtIn = CHANNEL_NAMES[channel];
  if (builtIn) return builtIn[en ? 1 : 0];
  const pkg = packages.find((p) => p.name === channel);
  return pkg ? pkg.label[en ? 'en' : 'zh-CN'] : channel;
}
