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
  const { tr } = useLocale();
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
      <legend>{tr('模拟客户添加企业微信', 'Simulate a customer adding WeCom')}</legend>
      {codes.length === 0 ? (
        <span className="muted">{tr('先创建一个渠道（活码）', 'Create a channel (live code) first')}</span>
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
            placeholder={tr('外部联系人 id（可选）', 'External user id (optional)')}
            data-testid="simulate-external-id"
          />
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={tr('微信昵称（可选，欢迎语 {{displayName}}）', 'WeCom name (optional, {{displayName}})')}
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
                      tr(
                        `客户 ${r.customerId ?? r.externalUserId} 已添加，进入 ${r.enrolled} 个旅程`,
                        `Customer ${r.customerId ?? r.externalUserId} added, entered ${r.enrolled} journey(s)`,
                      ),
                    );
                    onDone();
                  },
                  (e: Error) => setError(e.message),
                );
            }}
            data-testid="simulate-add"
          >
            {tr('模拟添加好友', 'Add contact')}
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
