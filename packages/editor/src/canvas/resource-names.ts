// Node cards name the batch or template a node uses, not its id (ids are made by the server and
// mean nothing to an operator). Loaded once per page, and again when the tab comes back into focus
// (a batch or template may have been created in another tab); without a server there are none.
import { type AnyNodeDefinition, resourceRefsOf } from '@siyu/shared';
import { useQuery } from '@tanstack/react-query';
import { createContext, createElement, type ReactNode, useContext, useMemo } from 'react';
import { REFRESH_ON_RETURN, trpc } from '../app/kit/query.ts';
import { useStaffDirectory } from '../app/staff-names.ts';

/**
 * The kinds whose ids are random (server-made, or WeCom's own group chat ids): shown by name, or not
 * at all. Group chats have no names here (they live in WeCom), so a card never shows their ids; a
 * channel entry shows its channels' names (a template's channel not yet created: nothing).
 */
const NAMED_KINDS = ['coupons.stock', 'sms.template', 'wecom.groupChat', 'core.channel', 'wecom.staff'] as const;

/**
 * The names map's key: a resource's kind and id, since ids of different kinds may be equal (kinds hold no colon; a
 * coupon batch `welcome` and a staff member `welcome` are two things).
 */
export const resourceKey = (kind: string, id: string) => `${kind}:${id}`;

/**
 * Name of each coupon batch, SMS template, channel (archived ones too: a journey may still name
 * one) and WeCom staff member (the staff directory), by kind and id — empty without a server or
 * until loaded.
 */
function useLoadedResourceNames(): ReadonlyMap<string, string> {
  const stocks = useQuery(trpc.coupons.stocks.queryOptions(undefined, REFRESH_ON_RETURN)).data;
  const templates = useQuery(trpc.smsTemplates.list.queryOptions(undefined, REFRESH_ON_RETURN)).data;
  const channels = useQuery(trpc.channels.list.queryOptions({ includeArchived: true }, REFRESH_ON_RETURN)).data;
  const staff = useStaffDirectory().data;
  return useMemo(
    () =>
      new Map([
        ...(stocks ?? []).map((r) => [resourceKey('coupons.stock', r.id), r.name] as const),
        ...(templates ?? []).map((r) => [resourceKey('sms.template', r.id), r.name] as const),
        ...(channels ?? []).map((r) => [resourceKey('core.channel', r.id), r.name] as const),
        ...(staff ?? []).map((m) => [resourceKey('wecom.staff', m.userId), m.name] as const),
      ]),
    [stocks, templates, channels, staff],
  );
}

const ResourceNames = createContext<ReadonlyMap<string, string>>(new Map());

/**
 * Loads the names once for every card of a canvas (the editor's, a version diff's). Each card
 * asking on its own made 600 query observers for a 300-node journey, about a third of every card's
 * render when the journey opened.
 */
export function ResourceNamesProvider({ children }: { children: ReactNode }) {
  return createElement(ResourceNames.Provider, { value: useLoadedResourceNames() }, children);
}

/** The names the canvas's ResourceNamesProvider loaded (none outside one). */
export const useResourceNames = (): ReadonlyMap<string, string> => useContext(ResourceNames);

/** The config as the card summarizes it: a named kind's id replaced by its name ('' when unknown). */
export function withResourceNames(
  definition: AnyNodeDefinition | undefined,
  config: Record<string, unknown>,
  names: ReadonlyMap<string, string>,
): Record<string, unknown> {
  if (!definition) return config;
  const shown = { ...config };
  for (const ref of resourceRefsOf(definition.config, config)) {
    if (!(NAMED_KINDS as readonly string[]).includes(ref.kind)) continue;
    // A top-level field: one id (`stockId`) or a list of them (`chatIds[0]`, `chatIds[1]`, …).
    const field = /^(\w+)(\[\d+\])?$/.exec(ref.path);
    if (!field?.[1] || !(field[1] in shown)) continue;
    const key = field[1];
    const value = config[key];
    const nameOf = (id: string) => names.get(resourceKey(ref.kind, id));
    shown[key] = Array.isArray(value) ? value.flatMap((id) => nameOf(String(id)) ?? []) : (nameOf(ref.id) ?? '');
  }
  return shown;
}
