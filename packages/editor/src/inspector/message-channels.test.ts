import { corePackage } from '@siyu/nodes-core';
import { smsPackage } from '@siyu/nodes-sms';
import { wecomPackage } from '@siyu/nodes-wecom';
import { describe, expect, it } from 'vitest';
import { messageChannels } from './message-channels.ts';

describe('messageChannels', () => {
  const definitions = [...corePackage.nodes, ...smsPackage.nodes, ...wecomPackage.nodes];

  it('offers the channels the installed nodes send on, once each', () => {
    expect(messageChannels(definitions).sort()).toEqual(['sms', 'wecom']);
  });

  it('keeps a chosen channel no installed node sends on', () => {
    expect(messageChannels(definitions, 'lottery')).toContain('lottery');
    expect(messageChannels(definitions, 'sms').filter((c) => c === 'sms')).toHaveLength(1);
  });
});
