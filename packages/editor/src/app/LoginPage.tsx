import { useState } from 'react';
import { useLocale } from './i18n.ts';
import { loginErrorText } from './login-error.ts';
import { api } from './server-api.ts';

/** The sign-in form shown before anything else when the server has no session for this browser. */
export function LoginPage({ onDone }: { onDone: () => void }) {
  const { t } = useLocale();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  return (
    <main className="list-page" data-testid="login">
      <h1>{t('app:loginPage.signIn')}</h1>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          api.auth.login
            .mutate({ username, password })
            .then(onDone)
            .catch((err: unknown) => setError(loginErrorText(err, t)));
        }}
      >
        <label className="field">
          <span className="field-label">{t('app:loginPage.username')}</span>
          <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
        </label>
        <label className="field">
          <span className="field-label">{t('app:loginPage.password')}</span>
          <input
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
          />
        </label>
        {error && (
          <p className="field-message" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary">
          {t('app:loginPage.signIn')}
        </button>
      </form>
    </main>
  );
}
