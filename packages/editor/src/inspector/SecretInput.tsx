import { useLocale } from '../app/i18n.ts';

/** How the server answers a secret field: whether it has a value, never the value. */
export function isSecretState(value: unknown): value is { set: boolean } {
  return typeof value === 'object' && value !== null && 'set' in value;
}

/**
 * A credential's secret field: a password input that starts empty. When the server says the
 * secret is set, the placeholder says so and an empty input keeps it; typing replaces it.
 */
export function SecretInput(props: { value: unknown; onChange: (value: unknown) => void; path: string }) {
  const { t } = useLocale();
  const stored = isSecretState(props.value) ? props.value.set : false;
  const typed = typeof props.value === 'string' ? props.value : '';
  return (
    <input
      type="password"
      autoComplete="new-password"
      value={typed}
      placeholder={stored ? t('inspector:secretInput.setLeaveEmptyToKeep') : ''}
      onChange={(e) => props.onChange(e.target.value === '' && stored ? { set: true } : e.target.value)}
      data-secret={props.path}
      data-secret-set={stored ? 'true' : 'false'}
    />
  );
}
