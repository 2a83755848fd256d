// Node cards name the batch or template a node uses, not its id (ids are made by the server and
// mean nothing to an operator). Loaded once per page, and again when the tab comes back into focus
// (a batch or template may have been created in another tab); without a server there are none.
import { type AnyNodeDefinition, resourceRefsOf } from '@siyu/shared';
import { useEffect, useState } from 'react';
import { api } from '../app/server-api.ts';

/** The kinds whose ids are random (server-made): shown by name, or not at all. */
const NAMED_KINDS = ['coupons.stock', 'sms.template'] as const;

let loaded: Promise<ReadonlyMap<string, string>> | undefined;

function loadNames(): Promise<ReadonlyMap<string, string>> {
  const rows = (list: Promise<Array<{ id: string; name: string }>>) => list.catch(() => []);
  return Promise.all([rows(api.coupons.stocks.query()), rows(api.smsTemplates.list.query())]).then(
    ([stocks, templates]) => new Map([...stocks, ...templates].map((r) => [r.id, r.name])),
  );
}

export function useResourceNames(): ReadonlyMap<string, string> {
  const [names, setNames] = useState<ReadonlyMap<string, string>>(new Map());
  const [round, setRound] = useState(0);
  useEffect(() => {
    const refresh = () => {
      loaded = undefined;
      setRound((r) => r + 1);
    };
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, []);
  useEffect(() => {
    void round;
    let live = true;
    loaded ??= loadNames();
    void loaded.then((found) => {
      if (live) setNames(found);
    });
    return () => {
      live = false;
    };
  }, [round]);
  return names;
}

/** The config as the card summarizes it: a named kind's id replaced by its name ('' when unknown). */
export function withResourceNames(
  definition: AnyNodeDefinition | undefined,
  config: Record<string, unknown>,
  names: ReadonlyMap<string, string>,
): Record<string, unknown> {
  if (!definition) return config;
  const shown = { ...config };
  for (const ref of resourceRefsOf(definition.config, config)) {
    if ((NAMED_KINDS as readonly string[]).includes(ref.kind) && ref.path in shown) {
      shown[ref.path] = names.get(ref.id) ?? '';
    }
  }
  return shown;
}
