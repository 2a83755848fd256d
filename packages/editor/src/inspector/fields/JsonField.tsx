import { useState } from 'react';
import { useLocale } from '../../app/i18n.ts';
import type { FieldProps } from './field-props.ts';

/** Fallback for shapes the form has no widget for: edit as JSON, applied only when it parses. */
export function JsonField(props: FieldProps) {
  const { t } = useLocale();
  const [text, setText] = useState(() => JSON.stringify(props.value ?? {}, null, 2));
  const [bad, setBad] = useState(false);
  return (
    <div className="textarea">
      <textarea
        className="mono"
        rows={5}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          try {
            props.onChange(JSON.parse(e.target.value));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad && <span className="field-message">{t('inspector:jsonField.notValidJson')}</span>}
    </div>
  );
}
