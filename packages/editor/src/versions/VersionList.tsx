import { useLocale } from '../app/i18n.ts';
import type { api } from '../app/server-api.ts';
import { formatTime } from '../pages/format.ts';

type Versions = Awaited<ReturnType<typeof api.journeys.versions.query>>;

/** Every published version, newest first: which is live, which were roll-backs, and a roll-back button. */
export function VersionList(props: {
  versions: Versions;
  liveVersionId?: string | null;
  onRollback?: (version: { id: string; version: number }) => void;
}) {
  const { t, locale } = useLocale();
  return (
    <table className="grid compact" data-testid="version-list">
      <tbody>
        {props.versions.map((v) => (
          <tr key={v.id} data-version={v.version}>
            <td>
              <strong>{t('versions:versionList.versionVersion', { version: v.version })}</strong>
              {v.id === props.liveVersionId && <span className="pill live">{t('versions:versionList.live')}</span>}
              {v.rollbackOf !== null && (
                <span className="muted" data-testid="version-rollback-of">
                  {' '}
                  {t('versions:versionList.rolledBackToVersionRollback', { rollbackOf: v.rollbackOf })}
                </span>
              )}
            </td>
            <td className="muted">
              {formatTime(v.publishedAt, locale)} · {v.publishedBy}
            </td>
            <td>{v.note}</td>
            <td>
              {props.onRollback && v.id !== props.liveVersionId && (
                <button
                  type="button"
                  className="link"
                  onClick={() => props.onRollback?.({ id: v.id, version: v.version })}
                  data-testid="version-rollback"
                >
                  {t('versions:versionList.rollBackToThisVersion')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
