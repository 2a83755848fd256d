import type { AnyNodeDefinition } from '@siyu/shared';

/**
 * The channels messages go out on, as frequency caps count them: every channel a node's effect
 * declares (`effect.channel`: sms, wecom, or a third-party package's own), in palette order, and
 * the value already chosen even when no installed node sends on it (a package since removed), so
 * a form never silently changes it.
 */
export function messageChannels(definitions: readonly AnyNodeDefinition[], current?: string): string[] {
  const channels = new Set<string>();
  for (const d of definitions) if (d.effect?.channel) channels.add(d.effect.channel);
  if (current) channels.add(current);
  return [...channels];
}
