import { unwrapOptional } from '../json-schema.ts';
import type { FieldProps } from './field-props.ts';
import { EnumField } from './inputs.tsx';

/** `{ amount, unit }`: a number and a unit picked from the schema's units. */
export function DurationField(props: FieldProps) {
  const value = (props.value ?? { amount: 1, unit: 'days' }) as { amount?: number; unit?: string };
  const unitSchema = unwrapOptional(props.schema.properties?.unit ?? {});
  return (
    <div className="duration">
      <input
        type="number"
        min={1}
        step={1}
        value={value.amount ?? ''}
        onChange={(e) =>
          props.onChange({ ...value, amount: e.target.value === '' ? undefined : Number(e.target.value) })
        }
      />
      <EnumField
        {...props}
        schema={unitSchema}
        value={value.unit}
        onChange={(unit) => props.onChange({ ...value, unit })}
      />
    </div>
  );
}
