import { useEffect, useState } from 'react';
import { useLocale } from '../i18n.ts';
import { api } from '../server-api.ts';
import type { JourneyDetails } from './use-draft-autosave.ts';

/**
 * Renames a journey, describes it and files it in a folder (the list filters by folder; an
 * existing folder is offered as you type). `save` goes through the draft's save queue.
 */
export function JourneyDetailsDialog(props: {
  details: JourneyDetails;
  save: (details: JourneyDetails) => Promise<void>;
  onClose: () => void;
}) {
  const { tr } = useLocale();
  const [details, setDetails] = useState(props.details);
  const [folders, setFolders] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  useEffect(() => {
    api.journeys.folders.query().then(setFolders, () => setFolders([]));
  }, []);
  const field = (key: keyof JourneyDetails) => ({
    value: details[key],
    onChange: (e: { target: { value: string } }) => setDetails({ ...details, [key]: e.target.value }),
    'data-testid': `details-${key}`,
  });
  const save = async () => {
    setBusy(true);
    setError('');
    try {
      await props.save({ ...details, name: details.name.trim(), folder: details.folder.trim() });
      props.onClose();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <section className="modal" role="dialog" data-testid="journey-details-dialog">
        <h2>{tr('旅程名称与说明', 'Name and description')}</h2>
        <label className="field">
          <span className="field-label">{tr('名称', 'Name')}</span>
          <input maxLength={100} {...field('name')} />
        </label>
        <label className="field">
          <span className="field-label">
            {tr('说明（运营同事能看到的用途、口径）', 'Description (what it is for)')}
          </span>
          <textarea rows={3} maxLength={2000} {...field('description')} />
        </label>
        <label className="field">
          <span className="field-label">{tr('分组（可选）', 'Folder (optional)')}</span>
          <input maxLength={50} list="journey-folders" {...field('folder')} />
          <datalist id="journey-folders">
            {folders.map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        </label>
        {error && <p className="field-message">{error}</p>}
        <footer className="modal-foot">
          <button type="button" onClick={props.onClose} disabled={busy}>
            {tr('取消', 'Cancel')}
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => void save()}
            disabled={busy || details.name.trim() === ''}
            data-testid="details-save"
          >
            {tr('保存', 'Save')}
          </button>
        </footer>
      </section>
    </div>
  );
}
