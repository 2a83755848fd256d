import { Select } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import { useStaffDirectory } from '../app/staff-names.ts';
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
  const [userIds, setUserIds] = useState<string[]>([]);
  const directory = useStaffDirectory().data ?? [];
  const { busy, errors, run } = useAction(() => false);
  const { wecomConfigId, qrCodeUrl } = props.code;
  if (wecomConfigId) {
    return (
      <span data-testid="live-code">
        <span className="pill ok" title={wecomConfigId}>
          {t('channels:liveCodeCell.created')}
        </span>{' '}
        {qrCodeUrl && (
          <a href={qrCodeUrl} target="_blank" rel="noreferrer">
            {t('channels:liveCodeCell.qrImage')}
          </a>
        )}
      </span>
    );
  }
  if (!props.editable) return <span className="muted">{t('channels:liveCodeCell.notCreated')}</span>;
  return (
    <form
      className="live-code-form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (await run(() => api.wecom.createLiveCode.mutate({ code: props.code.code, userIds }))) props.onDone();
      }}
    >
      {/* Staff from the directory by name; a userid the directory lacks can still be typed. */}
      <Select
        mode="tags"
        value={userIds}
        onChange={setUserIds}
        tokenSeparators={[',', '，', ' ']}
        placeholder={t('channels:liveCodeCell.pickStaff')}
        aria-label={t('channels:liveCodeCell.staff')}
        data-testid="live-code-staff"
        style={{ minWidth: 200 }}
        optionFilterProp="label"
        options={directory.filter((m) => m.active).map((m) => ({ value: m.userId, label: m.name }))}
      />
      <button type="submit" className="btn-small" disabled={busy}>
        {t('channels:liveCodeCell.createLiveCode')}
      </button>
      <FormMessage errors={errors} />
    </form>
  );
}
