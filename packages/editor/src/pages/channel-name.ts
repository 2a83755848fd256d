// A channel's display name. The built-in channels have catalog names (pages:channelNames.*); a node
// package's messages (deps.sandboxInbox) carry its package name as channel by default, shown as the
// package's label.
import { type Locale, localize, type NodePackage } from '@siyu/shared';
import { tFor } from '../locales/catalogs.ts';

export function channelName(channel: string, locale: Locale, packages: readonly NodePackage[]): string {
  const pkg = packages.find((p) => p.name === channel);
  const fallback = pkg ? localize(pkg.label, locale) : channel;
  return tFor(locale)(`pages:channelNames.${channel}`, { defaultValue: fallback });
}
