import { useQuery } from '@tanstack/react-query';
import { Button, Input, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { trpc } from '../kit/query.ts';

/** What the journey list shows: the archive or the rest, narrowed by search, status and folder. */
export interface JourneyFilter {
  archived: boolean;
  search: string;
  /** '' = every status but archived. */
  status: '' | 'draft' | 'live' | 'paused' | 'stopped';
  /** undefined = every folder; '' = journeys in no folder. */
  folder: string | undefined;
}

export const NO_FILTER: JourneyFilter = { archived: false, search: '', status: '', folder: undefined };

/** The list's query for a filter (the server filters; search waits for typing to pause). */
export function listQuery(filter: JourneyFilter) {
  return {
    status: filter.archived ? ('archived' as const) : filter.status || undefined,
    search: filter.search.trim() || undefined,
    folder: filter.folder,
  };
}

const ALL = '\u0000all';
const NONE = '\u0000none';

/**
 * Search box, status and folder selects, and the way into (and out of) the archive. `onChange`
 * gets only what changed: the search arrives late (after typing pauses) and must not undo a select
 * changed meanwhile.
 */
export function JourneyFilters({
  filter,
  onChange,
}: {
  filter: JourneyFilter;
  onChange: (change: Partial<JourneyFilter>) => void;
}) {
  const { t } = useLocale();
  const folders = useQuery(trpc.journeys.folders.queryOptions()).data ?? [];
  const [search, setSearch] = useState(filter.search);
  // Ask the server once typing pauses, not at every key.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the typed text starts the wait
  useEffect(() => {
    if (search === filter.search) return;
    const timer = setTimeout(() => onChange({ search }), 250);
    return () => clearTimeout(timer);
  }, [search]);
  // Leaving the list (opening a journey) within the pause still applies what was typed: else the
  // list came back filtered by the text before it (a search cleared, then a journey opened at once).
  const pending = useRef({ search, applied: filter.search, onChange });
  pending.current = { search, applied: filter.search, onChange };
  useEffect(
    () => () => {
      const { search: typed, applied, onChange: apply } = pending.current;
      if (typed !== applied) apply({ search: typed });
    },
    [],
  );
  return (
    <div className="filters" data-testid="journey-filters">
      <Input
        allowClear
        value={search}
        placeholder={t('journeys:journeyFilters.searchNameOrDescription')}
        onChange={(e) => setSearch(e.target.value)}
        style={{ width: 240 }}
        data-testid="journey-search"
      />
      {!filter.archived && (
        <Select
          value={filter.status || ALL}
          onChange={(value: string) => onChange({ status: (value === ALL ? '' : value) as JourneyFilter['status'] })}
          aria-label={t('journeys:journeyFilters.status')}
          data-testid="journey-status-filter"
          style={{ minWidth: 120 }}
          options={[
            { value: ALL, label: t('journeys:journeyFilters.allStatuses') },
            ...(['draft', 'live', 'paused', 'stopped'] as const).map((s) => ({
              value: s,
              label: t(`journeys:status.${s}`),
            })),
          ]}
        />
      )}
      <Select
        value={filter.folder === undefined ? ALL : filter.folder === '' ? NONE : filter.folder}
        onChange={(value: string) => onChange({ folder: value === ALL ? undefined : value === NONE ? '' : value })}
        aria-label={t('journeys:journeyFilters.folder')}
        data-testid="journey-folder-filter"
        style={{ minWidth: 120 }}
        options={[
          { value: ALL, label: t('journeys:journeyFilters.allFolders') },
          { value: NONE, label: t('journeys:journeyFilters.noFolder') },
          ...folders.map((f) => ({ value: f, label: f })),
        ]}
      />
      <span className="spacer" />
      <Button
        type="link"
        onClick={() => onChange({ ...NO_FILTER, archived: !filter.archived })}
        data-testid="journey-archived-toggle"
      >
        {filter.archived
          ? `← ${t('journeys:journeyFilters.backToJourneys')}`
          : t('journeys:journeyFilters.archivedJourneys')}
      </Button>
    </div>
  );
}
