import { Suspense } from 'react';
import { useLocale } from '../app/i18n.ts';
import { Loading, lazyNamed } from '../app/lazy-page.tsx';
import { ConditionBuilder } from './ConditionBuilder.tsx';
import { CredentialPicker } from './CredentialPicker.tsx';
import { AttributeChangesField } from './fields/AttributeChangesField.tsx';
import { DurationField } from './fields/DurationField.tsx';
import { FieldLabel } from './fields/FieldLabel.tsx';
import type { FieldProps } from './fields/field-props.ts';
import { EnumField, NumberInput, ScalarInput, TextInput } from './fields/inputs.tsx';
import { JsonField } from './fields/JsonField.tsx';
import { MessageTextArea } from './fields/MessageTextArea.tsx';
import { isComplex, isDuration, isFilterSchema, isScalarUnion } from './fields/schema-shapes.ts';
import { TimeZoneField } from './fields/TimeZoneField.tsx';
import { CustomerTagsField, TagsField } from './fields/tags-fields.tsx';
import { WeekdayChecks } from './fields/WeekdayChecks.tsx';
import {
  defaultFor,
  isVisible,
  type JsonSchema,
  resolve,
  unwrapOptional,
  widgetOf,
  withDefaults,
} from './json-schema.ts';
import { PICKER_WIDGETS, PickerField } from './pickers.tsx';
import { SecretInput } from './SecretInput.tsx';
import { SmsTemplatePicker, SmsVariablesField } from './SmsTemplateFields.tsx';

const EntryScheduleField = lazyNamed(() => import('../schedules/EntryScheduleField.tsx'), 'EntryScheduleField');

// The recursive part of the form (a field, an object of fields, a list of fields) lives here; the
// widgets for single values are in ./fields/.

/** Tag lists that hold customer tags (core.updateTags, wecom.markTags): picked from the tags in use. */
const CUSTOMER_TAG_FIELDS = new Set(['add', 'remove', 'tags']);

/** A form for any zod config schema (via its JSON Schema), with widgets for the hinted fields. */
export function SchemaForm(props: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  errors?: ReadonlyMap<string, string>;
}) {
  return (
    <ObjectField
      schema={props.schema}
      root={props.schema}
      value={props.value}
      onChange={(v) => props.onChange(v as Record<string, unknown>)}
      name=""
      path=""
      context={props.value}
      errors={props.errors ?? new Map()}
    />
  );
}

function Field(props: FieldProps) {
  const schema = unwrapOptional(resolve(props.schema, props.root));
  const widget = widgetOf(schema);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  const error = props.errors.get(props.path);
  // The audience entry's calendar: its own fieldset, shown only when the entry runs on a schedule
  // (its date and time pickers load then: they are not part of the canvas's first screen).
  if (widget === 'entrySchedule')
    return props.context.schedule === 'calendar' ? (
      <Suspense fallback={<Loading />}>
        <EntryScheduleField {...props} />
      </Suspense>
    ) : null;
  let control: React.ReactNode;
  if (widget === 'secret') control = <SecretInput value={props.value} onChange={props.onChange} path={props.path} />;
  else if (widget === 'credential' && typeof schema.credentialType === 'string')
    control = <CredentialPicker type={schema.credentialType} value={props.value} onChange={props.onChange} />;
  else if (widget === 'timeZone' || (props.name === 'timeZone' && type === 'string'))
    control = <TimeZoneField {...props} />;
  else if (widget === 'smsTemplate') control = <SmsTemplatePicker {...props} />;
  else if (widget === 'smsVariables') control = <SmsVariablesField {...props} />;
  else if (widget && PICKER_WIDGETS.has(widget))
    control = <PickerField widget={widget} value={props.value} onChange={props.onChange} />;
  else if (widget === 'filter' || isFilterSchema(schema))
    control = (
      <ConditionBuilder value={props.value} onChange={props.onChange} path={props.path} errors={props.errors} />
    );
  else if (widget === 'tags' && CUSTOMER_TAG_FIELDS.has(props.name)) control = <CustomerTagsField {...props} />;
  else if (widget === 'attributeChanges') control = <AttributeChangesField {...props} />;
  else if (widget === 'weekdays' || (props.name === 'weekdays' && type === 'array'))
    control = (
      <WeekdayChecks value={Array.isArray(props.value) ? (props.value as number[]) : []} onChange={props.onChange} />
    );
  else if (
    widget === 'tags' ||
    (type === 'array' && unwrapOptional(schema.items ?? {}).type === 'string' && !schema.items?.enum)
  )
    control = <TagsField {...props} />;
  else if (schema.enum) control = <EnumField {...props} schema={schema} />;
  else if (widget === 'smsText' || widget === 'template') control = <MessageTextArea {...props} widget={widget} />;
  else if (type === 'object' && isDuration(schema)) control = <DurationField {...props} />;
  else if (type === 'object' && schema.properties) return <ObjectField {...props} schema={schema} />;
  else if (type === 'array' && schema.items) return <ArrayField {...props} schema={schema} />;
  else if (type === 'string') control = <TextInput {...props} />;
  else if (type === 'number' || type === 'integer') control = <NumberInput {...props} integer={type === 'integer'} />;
  else if (type === 'boolean')
    control = (
      <input type="checkbox" checked={props.value === true} onChange={(e) => props.onChange(e.target.checked)} />
    );
  else if (schema.anyOf && isScalarUnion(schema.anyOf)) control = <ScalarInput {...props} />;
  else control = <JsonField {...props} schema={schema} />;
  return (
    <div className={`field ${error ? 'field-error' : ''}`} data-field={props.path}>
      <FieldLabel {...props} schema={schema} />
      {control}
      {schema.description && <span className="muted">{schema.description}</span>}
      {error && <span className="field-message">{error}</span>}
    </div>
  );
}

function ObjectField(props: FieldProps) {
  const schema = props.schema;
  const value = (props.value ?? {}) as Record<string, unknown>;
  const entries = Object.entries(schema.properties ?? {});
  const seen = withDefaults(schema, value, props.root);
  const body = entries.map(([key, sub]) => {
    if (!isVisible(unwrapOptional(resolve(sub, props.root)), seen)) return null;
    const optional = !(schema.required ?? []).includes(key);
    const present = value[key] !== undefined;
    const childPath = props.path ? `${props.path}.${key}` : key;
    const resolved = unwrapOptional(resolve(sub, props.root));
    // An output port's key: edges name it, an operator never reads or types it (see ArrayField).
    if (widgetOf(resolved) === 'portId') return null;
    // The schedule form shows its defaults itself (it appears only when the entry runs on a schedule).
    if (optional && !present && isComplex(resolved) && widgetOf(resolved) !== 'entrySchedule') {
      return (
        <OptionalToggle
          key={key}
          {...props}
          schema={resolved}
          name={key}
          onAdd={() => props.onChange({ ...value, [key]: defaultFor(sub, props.root) })}
        />
      );
    }
    return (
      <div key={key} className="field-row">
        <Field
          {...props}
          schema={sub}
          name={key}
          label={undefined}
          path={childPath}
          value={value[key]}
          onChange={(v) => {
            const next = { ...value };
            if (v === undefined || (optional && v === '')) delete next[key];
            else next[key] = v;
            props.onChange(next);
          }}
        />
        {optional && present && isComplex(unwrapOptional(resolve(sub, props.root))) && (
          <button
            type="button"
            className="link"
            onClick={() => {
              const next = { ...value };
              delete next[key];
              props.onChange(next);
            }}
          >
            ✕
          </button>
        )}
      </div>
    );
  });
  if (!props.name) return <div className="form">{body}</div>;
  return (
    <fieldset className="group" data-field={props.path}>
      <legend>
        <FieldLabel schema={schema} name={props.name} label={props.label} />
      </legend>
      {body}
    </fieldset>
  );
}

function OptionalToggle(props: FieldProps & { onAdd: () => void }) {
  const { t } = useLocale();
  return (
    <div className="field-row">
      <button type="button" className="link" onClick={props.onAdd}>
        + {t('inspector:schemaForm.set')} <FieldLabel schema={props.schema} name={props.name} />
      </button>
    </div>
  );
}

/**
 * A new branch case, variant or path gets a port key no sibling has (`paths-3`): the field is
 * hidden, and edges need a key that stays put when the operator renames the item.
 */
function withUnusedPortId(item: unknown, itemSchema: JsonSchema, props: FieldProps, siblings: unknown[]): unknown {
  const properties = unwrapOptional(resolve(itemSchema, props.root)).properties ?? {};
  const key = Object.keys(properties).find(
    (k) => widgetOf(unwrapOptional(resolve(properties[k] as JsonSchema, props.root))) === 'portId',
  );
  if (!key || !item || typeof item !== 'object') return item;
  const taken = new Set(siblings.map((s) => (s as Record<string, unknown> | null)?.[key]));
  let n = siblings.length + 1;
  while (taken.has(`${props.name}-${n}`)) n++;
  return { ...(item as Record<string, unknown>), [key]: `${props.name}-${n}` };
}

function ArrayField(props: FieldProps) {
  const { t } = useLocale();
  // Items by what they are and their place ("上限 1", "Cap 1"); "第 1 项" / "Item 1" for an array
  // the catalog has no noun for (inspector:arrayItems.<key>).
  const noun = t(`inspector:arrayItems.${props.name}`, { defaultValue: '' });
  const itemLabel = (n: number) =>
    noun ? t('inspector:schemaForm.nounN', { noun, n }) : t('inspector:schemaForm.itemN', { n });
  const items = Array.isArray(props.value) ? props.value : [];
  const itemSchema = props.schema.items ?? {};
  return (
    <fieldset className="group" data-field={props.path}>
      <legend>
        <FieldLabel schema={props.schema} name={props.name} label={props.label} />
      </legend>
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items have no stable identity of their own
        <div className="array-item" key={`${index}-${items.length}`}>
          <Field
            {...props}
            schema={itemSchema}
            name={`#${index + 1}`}
            label={itemLabel(index + 1)}
            path={`${props.path}[${index}]`}
            value={item}
            onChange={(v) => props.onChange(items.map((old, i) => (i === index ? v : old)))}
          />
          <button
            type="button"
            className="link danger"
            onClick={() => props.onChange(items.filter((_, i) => i !== index))}
          >
            {t('inspector:schemaForm.remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn-small"
        onClick={() =>
          props.onChange([...items, withUnusedPortId(defaultFor(itemSchema, props.root), itemSchema, props, items)])
        }
      >
        + {t('inspector:schemaForm.add')}
      </button>
      {props.errors.get(props.path) && <span className="field-message">{props.errors.get(props.path)}</span>}
    </fieldset>
  );
}
