import type { JourneyGraph } from '@siyu/shared';
import { useCallback, useRef, useState } from 'react';
import { SAVE_DEBOUNCE_MS } from '../editor/use-checked-doc.ts';
import { api, saveDraft } from '../server-api.ts';
import type { OpenJourney } from './journey-types.ts';
import { SerialQueue } from './serial-queue.ts';

export type SaveState = 'saved' | 'saving' | 'conflict' | 'error';

/** What the details dialog edits: the journey's name, description and folder. */
export interface JourneyDetails {
  name: string;
  description: string;
  folder: string;
}

/**
 * Saves the draft after each (already debounced) edit, one save at a time, with optimistic
 * concurrency on draftRevision: a conflict (the draft changed elsewhere) stops saving. Also keeps
 * what the server finds in the saved draft (references to missing channels, stocks…) and the
 * graph as last edited, so side panels name nodes by their current titles.
 */
export function useDraftAutosave(journey: OpenJourney) {
  const revision = useRef(journey.draftRevision);
  const latestGraph = useRef(journey.draft);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [queue] = useState(() => new SerialQueue());
  const conflicted = useRef(false);
  const lastSaved = useRef(JSON.stringify(journey.draft));
  const [serverProblems, setServerProblems] = useState(journey.problems);
  const onChange = useCallback(
    (graph: JourneyGraph) => {
      latestGraph.current = graph;
      void queue.run(async () => {
        const text = JSON.stringify(graph);
        if (conflicted.current || text === lastSaved.current) return;
        setSaveState('saving');
        try {
          const result = await saveDraft(journey.id, revision.current, graph);
          if (result === 'conflict') {
            conflicted.current = true;
            return setSaveState('conflict');
          }
          revision.current = result.revision;
          setServerProblems(result.problems);
          lastSaved.current = text;
          setSaveState('saved');
        } catch {
          setSaveState('error');
        }
      });
    },
    [journey.id, queue],
  );
  /**
   * Renames, describes or files the journey, in the same queue as the draft saves so the two
   * never race for one revision. Rejects (and nothing changes) when the server refuses.
   */
  const saveDetails = useCallback(
    (details: JourneyDetails) =>
      queue.run(async () => {
        const result = await api.journeys.updateDraft.mutate({
          id: journey.id,
          expectedRevision: revision.current,
          ...details,
        });
        revision.current = result.draftRevision;
      }),
    [journey.id, queue],
  );
  /**
   * Runs `work` (a publish, a roll-back) on the saved draft: after the editor's last edit has gone
   * to the queue (SAVE_DEBOUNCE_MS, and a little) and inside the queue, so the revision it reads is
   * the one on the server. Awaiting the saves and then calling the server left a gap: an edit whose
   * save started in it (a debounce that fired late on a busy machine) bumped the revision under the
   * publish, and the server refused it as a conflict.
   */
  const afterSaves = useCallback(
    async <T>(work: (revision: number) => Promise<T>): Promise<T> => {
      await new Promise((r) => setTimeout(r, SAVE_DEBOUNCE_MS + 50));
      return queue.run(() => work(revision.current));
    },
    [queue],
  );
  /** Waits for the last edit's save (the dry run and the simulation run the stored draft). */
  const flush = useCallback(() => afterSaves(async () => undefined), [afterSaves]);
  return { onChange, flush, afterSaves, saveDetails, saveState, serverProblems, latestGraph };
}
