import { isoDate } from '../../../db/iso-date.ts';
import type { EngineStore } from '../port.ts';
import type { Statements } from './statements.ts';

export type OutboxWriter = Pick<
  EngineStore,
  'markEffectsStarted' | 'takeOutcomeResolution' | 'finishEffect' | 'retryEffect' | 'deferEffect' | 'parkUnknownEffect'
>;

/** The dispatcher's writes on SQLite: one prepared statement each, inside the batch's transaction. */
export function sqliteOutboxWriter(st: Statements): OutboxWriter {
  return {
    markEffectsStarted: (effectIds) => st.markEffectsStarted([...effectIds]),
    takeOutcomeResolution: (effectKey, now) => st.takeOutcomeResolution(effectKey, now),
    finishEffect(effectId, status, attempts, result, error, now) {
      st.finishEffect.run(status, attempts, result, error, isoDate(now), effectId);
    },
    retryEffect(effectId, attempts, at, error) {
      st.retryEffect.run(attempts, at, error, effectId);
    },
    deferEffect(effectId, at) {
      st.deferEffect.run(at, effectId);
    },
    parkUnknownEffect(effectId, attempts, error) {
      st.parkUnknownEffect(effectId, attempts, error);
    },
  };
}
