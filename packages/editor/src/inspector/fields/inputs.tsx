// The one-line inputs of SchemaForm: choices, text (or time of day), numbers, and a scalar union.
import { useLocale } from '../../app/i18n.ts';
import type { FieldProps } from './field-props.ts';

export function EnumField(props: FieldProps) {
  const { t } = useLocale();
  return (
    <select value={String(props.value ?? '')} onChange={(e) => props.onChange(e.target.value)}>
      {props.value === undefined && <option value="">—</option>}
      {(props.schema.enum ?? []).map((option) => (
        <option key={String(option)} value={String(option)}>
          {t(`inspector:enums.${String(option)}`, { defaultValue: String(option) })}
        </option>
      ))}
    </select>
  );
}

export function TextInput(props: FieldProps) {
  const isTime =
    props.name === 'start' || props.name === 'end' || props.schema.pattern === '^([01]\\d|2[0-3]):[0-5]\\d$';
  return (
    <input
      type={isTime ? 'time' : 'text'}
      value={String(props.value ?? '')}
      maxLength={props.schema.maxLength}
      onChange={(e) => props.onChange(e.target.value)}
    />
  );
}

export function NumberInput(props: FieldProps & { integer: boolean }) {
  return (
    <input
      type="number"
      step={props.integer ? 1 : 'any'}
      min={props.schema.minimum}
      max={props.schema.maximum}
      value={props.value === undefined ? '' : String(props.value)}
      onChange={(e) => props.onChange(e.target.value === '' ? undefined : Number(e.target.value))}
    />
  );
}

/** A value that may be a string, a number or a comma-separated list (a union of scalars). */
export function ScalarInput(props: FieldProps) {
  return (
    <input
      type="text"
      value={props.value === undefined ? '' : Array.isArray(props.value) ? props.value.join(',') : String(props.value)}
      onChange={(e) => {
        const raw = e.target.value;
        if (raw === '') return props.onChange(undefined);
        if (raw.includes(',')) return props.onChange(raw.split(',').map((s) => s.trim()));
        props.onChange(raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw);
      }}
    />
  );
}
