import { useEffect, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';

type Code = { code: string; label: string };

/**
 * In WeCom sandbox mode, plays a customer scanning a live code and adding a staff member: the
 * same events the real WeCom callback produces (wecom.contactAdded + channel.entered), so entry
 * nodes fire and the welcome message lands in the inbox below.
 */
export function SimulateContact({ onDone }: { onDone: () => void }) {
  const { t } = useLocale();
  const [sandbox, setSandbox] = useState(false);
  const [codes, setCodes] = useState<Code[]>([]);
  const [code, setCode] = useState('');
  const [externalUserId, setExternalUserId] = useState('');
  const [name, setName] = useState('');
  const [result, setResult] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    api.wecom.mode.query().then(
      (m) => setSandbox(m.mode === 'sandbox'),
      () => setSandbox(false),
    );
    api.channels.list.query().then(
      (channels) => {
        const list = channels.flatMap((c) =>
          c.codes.map((k) => ({ code: k.code, label: `${c.name} · ${k.variant} (${k.code})` })),
        );
        setCodes(list);
        setCode((old) => old || list[0]?.code || '');
      },
      () => setCodes([]),
    );
  }, []);
  if (!sandbox) return null;
  return (
    <fieldset className="group simulate-contact" data-testid="simulate-contact">
      <legend>{t('pages:simulateContact.simulateACustomerAddingWecom')}</legend>
      {codes.length === 0 ? (
        <span className="muted">{t('pages:simulateContact.createAChannelLiveCode')}</span>
      ) : (
        <div className="filters">
          <select value={code} onChange={(e) => setCode(e.target.value)} data-testid="simulate-code">
            {codes.map((c) => (
              <option key={c.code} value={c.code}>
                {c.label}
              </option>
            ))}
          </select>
          <input
            value={externalUserId}
            onChange={(e) => setExternalUserId(e.target.value.trim())}
            placeholder={t('pages:simulateContact.externalUserIdOptional')}
            data-testid="simulate-external-id"
          />
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={t('pages:simulateContact.wecomNameOptionalDisplayName', { placeholder: '{{displayName}}' })}
            data-testid="simulate-name"
          />
          <button
            type="button"
            className="primary"
            onClick={() => {
              setError('');
              api.wecom.simulateContactAdded
                .mutate({ code, externalUserId: externalUserId || undefined, name: name.trim() || undefined })
                .then(
                  (r) => {
                    setResult(
                      t('pages:simulateContact.customerCustomerIdAddedEntered', {
                        customerId: r.customerId ?? r.externalUserId,
                        count: r.enrolled,
                      }),
                    );
                    onDone();
                  },
                  (e: Error) => setError(e.message),
                );
            }}
            data-testid="simulate-add"
          >
            {t('pages:simulateContact.addContact')}
          </button>
        </div>
      )}
      {result && (
        <span className="notice" data-testid="simulate-result">
          {result}
        </span>
      )}
      {error && <span className="field-message">{error}</span>}
    </fieldset>
  );
}
