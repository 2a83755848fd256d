import { Form } from 'antd';
import { type ReactNode, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { type FormErrors, formErrors, NO_ERRORS, pickLanguage } from './model.ts';

/**
 * Runs a mutation for a form: busy while it runs, and the server's input errors afterwards, on the
 * fields `known` says the form shows. Resolves true when it went through.
 */
export function useAction(known: (path: string) => boolean) {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const { locale } = useLocale();
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await action();
      return true;
    } catch (error) {
      setErrors(formErrors(error, known, locale));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, errors, run };
}

/**
 * A labelled control (antd Form.Item) with the server's message for its path under it, in red: the
 * rules live in the server's schema, so the form shows its verdict rather than judging twice.
 */
export function Field(props: { label: string; path: string; errors: FormErrors; children: ReactNode }) {
  const { locale } = useLocale();
  const raw = props.errors.fields[props.path];
  const message = raw && pickLanguage(raw, locale);
  return (
    <div className="field" data-field={props.path}>
      <Form.Item
        label={props.label}
        layout="vertical"
        validateStatus={message ? 'error' : undefined}
        help={message ? <span className="field-message">{message}</span> : undefined}
        style={{ marginBottom: 8 }}
      >
        {props.children}
      </Form.Item>
    </div>
  );
}

export function FormMessage({ errors }: { errors: FormErrors }) {
  const { locale } = useLocale();
  return errors.message ? (
    <p className="field-message" data-testid="form-error">
      {errors.message
        .split('\n')
        .map((line) => pickLanguage(line, locale))
        .join('\n')}
    </p>
  ) : null;
}
