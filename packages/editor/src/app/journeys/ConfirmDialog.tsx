import { useState } from 'react';
import { useLocale } from '../i18n.ts';

/**
 * A confirm that says what will happen (a modal, not the browser's confirm, so it reads like the
 * rest of the page and shows in screenshots). With `reasonLabel` it asks for a reason first and
 * passes it to `onConfirm`; the server's refusal is shown in place.
 */
export function ConfirmDialog(props: {
  title: string;
  body: string;
  confirmLabel: string;
  danger?: boolean;
  reasonLabel?: string;
  onConfirm: (reason: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { tr } = useLocale();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const needsReason = props.reasonLabel !== undefined;
  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      await props.onConfirm(reason.trim());
      props.onClose();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop">
      <section className="modal" role="dialog" aria-label={props.title} data-testid="confirm-dialog">
        <h2>{props.title}</h2>
        <p data-testid="confirm-body">{props.body}</p>
        {needsReason && (
          <label className="field">
            <span className="field-label">{props.reasonLabel}</span>
            <textarea
              value={reason}
              maxLength={500}
              rows={3}
              onChange={(e) => setReason(e.target.value)}
              data-testid="confirm-reason"
            />
          </label>
        )}
        {error && <p className="field-message">{error}</p>}
        <footer className="modal-foot">
          <button type="button" onClick={props.onClose} disabled={busy}>
            {tr('取消', 'Cancel')}
          </button>
          <button
            type="button"
            className={props.danger ? 'primary danger' : 'primary'}
            onClick={() => void confirm()}
            disabled={busy || (needsReason && reason.trim() === '')}
            data-testid="confirm-ok"
          >
            {props.confirmLabel}
          </button>
        </footer>
      </section>
    </div>
  );
}
