import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import { FormMessage, useAction } from './parts.tsx';

/**
 * A code's WeCom live code (联系我): made through wecom.createLiveCode with the code as its `state`,
 * so each contact added is attributed to the code. In sandbox mode the "live code" is the tracked link.
 */
export function LiveCodeCell(props: {
  code: { code: string; wecomConfigId: string | null; qrCodeUrl: string | null };
  editable: boolean;
  onDone: () => void;
}) {
  const { t } = useLocale();
  const [staff, setStaff] = useState('');
  const { busy, errors, run } = useAction(() => false);
  const { wecomConfigId, qrCodeUrl } = props.code;
  if (wecomConfigId) {
    return (
      <span data-testid="live-code">
        <span className="pill ok">{t('channels:liveCodeCell.created')}</span>{' '}
        {qrCodeUrl && (
          <a href={qrCodeUrl} target="_blank" rel="noreferrer">
            {t('channels:liveCodeCell.qrImage')}
          </a>
        )}
        <div className="muted mono">{wecomConfigId}</div>
      </span>
    );
  }
  if (!props.editable) return <span className="muted">{t('channels:liveCodeCell.notCreated')}</span>;
  const userIds = staff
    .split(/[,，\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return (
    <form
      className="live-code-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await run(() => api.wecom.createLiveCode.mutate({ code: props.code.code, userIds }))) props.onDone();
      }}
    >
      <input
        value={staff}
        onChange={(e) => setStaff(e.target.value)}
        placeholder={t('channels:liveCodeCell.staffUseridsCommaSeparated')}
        aria-label={t('channels:liveCodeCell.staff')}
      />
      <button type="submit" className="btn-small" disabled={busy}>
        {t('channels:liveCodeCell.createLiveCode')}
      </button>
      <FormMessage errors={errors} />
    </form>
  );
}
