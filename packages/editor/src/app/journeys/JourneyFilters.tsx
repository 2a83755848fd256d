import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { api } from '../server-api.ts';
import { STATUS } from './journey-types.ts';

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
  const { tr, locale } = useLocale();
  const i = locale === 'en' ? 1 : 0;
  const [folders, setFolders] = useState<string[]>([]);
  const [search, setSearch] = useState(filter.search);
  useEffect(() => {
    api.journeys.folders.query().then(setFolders, () => setFolders([]));
  }, []);
  // Ask the server once typing pauses, not at every key.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the typed text starts the wait
  useEffect(() => {
    if (search === filter.search) return;
    const timer = setTimeout(() => onChange({ search }), 250);
    return () => clearTimeout(timer);
  }, [search]);
  return (
    <div className="filters" data-testid="journey-filters">
      <input
        type="search"
        value={search}
        placeholder={tr('搜索名称或说明', 'Search name or description')}
        onChange={(e) => setSearch(e.target.value)}
        data-testid="journey-search"
      />
      {!filter.archived && (
        <select
          value={filter.status}
          onChange={(e) => onChange({ status: e.target.value as JourneyFilter['status'] })}
          aria-label={tr('状态', 'Status')}
          data-testid="journey-status-filter"
        >
          <option value="">{tr('全部状态', 'All statuses')}</option>
          {(['draft', 'live', 'paused', 'stopped'] as const).map((s) => (
            <option key={s} value={s}>
              {STATUS[s]?.[i]}
            </option>
          ))}
        </select>
      )}
      <select
        value={filter.folder === undefined ? '' : filter.folder === '' ? NONE : filter.folder}
        onChange={(e) =>
          onChange({
            ...filter,
            folder: e.target.value === '' ? undefined : e.target.value === NONE ? '' : e.target.value,
          })
        }
        aria-label={tr('分组', 'Folder')}
        data-testid="journey-folder-filter"
      >
        <option value="">{tr('全部分组', 'All folders')}</option>
        <option value={NONE}>{tr('未分组', 'No folder')}</option>
        {folders.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </select>
      <span className="spacer" />
      <button
        type="button"
        className="link"
        onClick={() => onChange({ ...NO_FILTER, archived: !filter.archived })}
        data-testid="journey-archived-toggle"
      >
        {filter.archived ? `← ${tr('返回旅程列表', 'Back to journeys')}` : tr('已归档的旅程', 'Archived journeys')}
      </button>
    </div>
  );
}
