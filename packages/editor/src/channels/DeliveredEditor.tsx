import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import { FormMessage, useAction } from './parts.tsx';

/** The recorded delivered count of one code (cards shipped, posters put up), saved on demand. */
export function DeliveredEditor(props: { code: string; value: number; onSaved: () => void }) {
  const { t } = useLocale();
  const [text, setText] = useState(String(props.value));
  const { busy, errors, run } = useAction(() => false);
  const changed = text !== String(props.value);
  return (
    <form
      className="delivered-editor"
      onSubmit={async (e) => {
        e.preventDefault();
        // NaN travels as null: the server refuses it with its own message.
        if (await run(() => api.channels.setDelivered.mutate({ code: props.code, delivered: Number(text) })))
          props.onSaved();
      }}
    >
      <input
        type="number"
        min={0}
        value={text}
        onChange={(e) => setText(e.target.value)}
        data-testid={`delivered-input-${props.code}`}
        aria-label={t('channels:channelsPage.delivered')}
      />
      <button
        type="submit"
        className="btn-small"
        disabled={busy || !changed}
        data-testid={`delivered-save-${props.code}`}
      >
        {t('channels:deliveredEditor.save')}
      </button>
      <FormMessage errors={errors} />
    </form>
  );
}
