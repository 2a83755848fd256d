import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useLocale } from './i18n.ts';
import { useErrorText } from './kit/query.ts';
import { api } from './server-api.ts';

/**
 * Where a set-password link lands (#/set-password?token=…): a new colleague, or one who forgot
 * their password, chooses a password and is signed in. Plain like the sign-in form, so it needs
 * none of the workspace's components.
 */
export function SetPasswordPage({ token, onDone }: { token: string; onDone: () => void }) {
  const { t } = useLocale();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useErrorText();
  const [busy, setBusy] = useState(false);
  const submit = () => {
    if (password.length < 8) return setError((t: TFunction) => t('team:setPassword.tooShort'));
    if (password !== repeat) return setError((t: TFunction) => t('team:setPassword.mismatch'));
    setBusy(true);
    api.auth.acceptInvite
      .mutate({ token, password })
      .then(onDone)
      .catch(setError)
      .finally(() => setBusy(false));
  };
  return (
    <main className="list-page" data-testid="set-password">
      <h1>{t('team:setPassword.title')}</h1>
      <p className="muted">{t('team:setPassword.intro')}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label className="field">
          <span className="field-label">{t('team:setPassword.password')}</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="new-password"
            data-testid="set-password-new"
          />
        </label>
        <label className="field">
          <span className="field-label">{t('team:setPassword.repeat')}</span>
          <input
            type="password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            autoComplete="new-password"
            data-testid="set-password-repeat"
          />
        </label>
        {error && (
          <p className="field-message" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('team:setPassword.submit')}
        </button>
      </form>
    </main>
  );
}
