import { useState } from 'react';
import { api } from '../server-api.ts';
import type { OpenJourney } from './journey-types.ts';

/**
 * The open journey's status, live version and pause reason, and the two actions that change
 * them from the editor: resume (a paused journey), publish (after the pending save) and roll back.
 */
export function useJourneyStatus(
  journey: OpenJourney,
  /** Runs a call on the saved draft with its revision (use-draft-autosave's `afterSaves`). */
  afterSaves: <T>(work: (revision: number) => Promise<T>) => Promise<T>,
) {
  const [status, setStatus] = useState({ status: journey.status, liveVersionId: journey.liveVersionId });
  const [paused, setPaused] = useState(journey.pausedReason);
  const resume = async () => {
    await api.journeys.resume.mutate({ id: journey.id });
    setStatus((s) => ({ ...s, status: 'live' }));
    setPaused(null);
  };
  const publish = async (note: string) => {
    const result = await afterSaves((expectedRevision) =>
      api.journeys.publish.mutate({ id: journey.id, expectedRevision, note }),
    );
    setStatus({ status: 'live', liveVersionId: result.versionId });
    // A new version is live: the engine releases the paused journey on its next tick.
    setPaused(null);
    return result;
  };
  /** Publishes an older version again as a new one (the draft becomes it; see journeys.rollback). */
  const rollback = async (versionId: string, note: string) => {
    const result = await afterSaves((expectedRevision) =>
      api.journeys.rollback.mutate({ id: journey.id, versionId, expectedRevision, note }),
    );
    setStatus({ status: 'live', liveVersionId: result.versionId });
    setPaused(null);
    return result;
  };
  return { status, paused, resume, publish, rollback };
}
