// The node inspector's field for a `credentialField(type)`: a select of the stored credentials of
// that type, by name (the journey keeps only the id), with a link to create one.
import { useEffect, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { newCredentialHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';

interface Option {
  id: string;
  name: string;
}

/** Loaded once per page and type; the credentials page clears it after a change. */
const cache = new Map<string, Promise<Option[] | undefined>>();
export function clearCredentialOptions(): void {
  cache.clear();
}

function useCredentialOptions(type: string): Option[] | undefined {
  const [options, setOptions] = useState<Option[] | undefined>();
  useEffect(() => {
    let live = true;
    let pending = cache.get(type);
    if (!pending) {
      pending = api.credentials.list
        .query({ type })
        .then((list) => list.map((c) => ({ id: c.id, name: c.name })))
        .catch(() => undefined);
      cache.set(type, pending);
    }
    void pending.then((loaded) => {
      if (live) setOptions(loaded);
    });
    return () => {
      live = false;
    };
  }, [type]);
  return options;
}

export function CredentialPicker(props: { type: string; value: unknown; onChange: (value: unknown) => void }) {
  const { t } = useLocale();
  const options = useCredentialOptions(props.type);
  const value = typeof props.value === 'string' ? props.value : '';
  const missing = value !== '' && options !== undefined && !options.some((o) => o.id === value);
  return (
    <span className="credential-picker">
      <select value={value} onChange={(e) => props.onChange(e.target.value)} data-picker="credential">
        <option value="">{t('inspector:credentialPicker.noCredential')}</option>
        {missing && <option value={value}>{t('inspector:credentialPicker.chosenCredentialWasDeleted')}</option>}
        {(options ?? []).map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>{' '}
      <a href={newCredentialHref(props.type)} target="_blank" rel="noopener">
        {t('inspector:credentialPicker.newCredential')}
      </a>
    </span>
  );
}
