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
  const { tr } = useLocale();
  const [staff, setStaff] = useState('');
  const { busy, errors, run } = useAction(() => false);
  const { wecomConfigId, qrCodeUrl } = props.code;
  if (wecomConfigId) {
    return (
      <span data-testid="live-code">
        <span className="pill ok">{tr('已生成', 'Created')}</span>{' '}
        {qrCodeUrl && (
          <a href={qrCodeUrl} target="_blank" rel="noreferrer">
            {tr('活码图片', 'QR image')}
          </a>
        )}
        <div className="muted mono">{wecomConfigId}</div>
      </span>
    );
  }
  if (!props.editable) return <span className="muted">{tr('未生成', 'Not created')}</span>;
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
        placeholder={tr('接待员工 userId，逗号分隔', 'Staff userIds, comma-separated')}
        aria-label={tr('接待员工', 'Staff')}
      />
      <button type="submit" className="btn-small" disabled={busy}>
        {tr('生成活码', 'Create live code')}
      </button>
      <FormMessage errors={errors} />
    </form>
  );
}
