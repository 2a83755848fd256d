import { Input, Modal } from 'antd';
import { useState } from 'react';
import { useLocale } from '../i18n.ts';
import { useErrorText } from '../kit/query.ts';

/**
 * A confirm that says what will happen to the customers in the journey (antd Modal, so it reads
 * like the rest of the page and shows in screenshots). With `reasonLabel` it asks for a reason
 * first and passes it to `onConfirm`; the server's refusal is shown in place and the modal stays.
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
  const { t } = useLocale();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useErrorText();
  const needsReason = props.reasonLabel !== undefined;
  const confirm = async () => {
    setBusy(true);
    setError('');
    try {
      await props.onConfirm(reason.trim());
      props.onClose();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={props.title}
      okText={props.confirmLabel}
      cancelText={t('journeys:confirmDialog.cancel')}
      okButtonProps={{
        danger: props.danger,
        disabled: needsReason && reason.trim() === '',
        'data-testid': 'confirm-ok',
      }}
      cancelButtonProps={{ disabled: busy }}
      confirmLoading={busy}
      onOk={() => void confirm()}
      onCancel={props.onClose}
      mask={{ closable: !busy }}
      modalRender={(node) => <div data-testid="confirm-dialog">{node}</div>}
    >
      <p data-testid="confirm-body">{props.body}</p>
      {needsReason && (
        <div className="field">
          <span className="field-label">{props.reasonLabel}</span>
          <Input.TextArea
            aria-label={props.reasonLabel}
            value={reason}
            maxLength={500}
            rows={3}
            onChange={(e) => setReason(e.target.value)}
            data-testid="confirm-reason"
          />
        </div>
      )}
      {error && <p className="field-message">{error}</p>}
    </Modal>
  );
}
