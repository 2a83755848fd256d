import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { TagPicker } from '../app/TagPicker.tsx';
import { countSms, hasUnsubscribeHint, SMS_PART_LIMIT, SMS_SINGLE_LIMIT } from '../model/sms.ts';
import { ConditionBuilder } from './ConditionBuilder.tsx';
import { CredentialPicker } from './CredentialPicker.tsx';
import { defaultFor, type JsonSchema, resolve, unwrapOptional, widgetOf } from './json-schema.ts';
import { ENUM_LABELS, KEY_LABELS } from './labels.ts';
import { PICKER_WIDGETS, PickerField } from './pickers.tsx';
import { SecretInput } from './SecretInput.tsx';

/** Tag lists that hold customer tags (core.updateTags, wecom.markTags): picked from the tags in use. */
const CUSTOMER_TAG_FIELDS = new Set(['add', 'remove', 'tags']);

interface FieldProps {
  schema: JsonSchema;
  root: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  name: string;
  path: string;
  /** Config of the whole node, for widgets that look at siblings (SMS signature). */
  context: Record<string, unknown>;
  errors: ReadonlyMap<string, string>;
}

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
  let control: React.ReactNode;
  if (widget === 'secret') control = <SecretInput value={props.value} onChange={props.onChange} path={props.path} />;
  else if (widget === 'credential' && typeof schema.credentialType === 'string')
    control = <CredentialPicker type={schema.credentialType} value={props.value} onChange={props.onChange} />;
  else if (widget && PICKER_WIDGETS.has(widget))
    control = <PickerField widget={widget} value={props.value} onChange={props.onChange} />;
  else if (widget === 'filter' || isFilterSchema(schema))
    control = (
      <ConditionBuilder value={props.value} onChange={props.onChange} path={props.path} errors={props.errors} />
    );
  else if (widget === 'tags' && CUSTOMER_TAG_FIELDS.has(props.name)) control = <CustomerTagsField {...props} />;
  else if (
    widget === 'tags' ||
    (type === 'array' && unwrapOptional(schema.items ?? {}).type === 'string' && !schema.items?.enum)
  )
    control = <TagsField {...props} />;
  else if (schema.enum) control = <EnumField {...props} schema={schema} />;
  else if (widget === 'smsText' || widget === 'template') control = <TextArea {...props} widget={widget} />;
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

function FieldLabel({ schema, name }: { schema: JsonSchema; name: string }) {
  const { locale } = useLocale();
  const i = locale === 'en' ? 1 : 0;
  const label = typeof schema.label === 'object' ? schema.label[locale] : (schema.label ?? schema.title);
  return <span className="field-label">{label ?? KEY_LABELS[name]?.[i] ?? name}</span>;
}

function ObjectField(props: FieldProps) {
  const schema = props.schema;
  const value = (props.value ?? {}) as Record<string, unknown>;
  const entries = Object.entries(schema.properties ?? {});
  const body = entries.map(([key, sub]) => {
    const optional = !(schema.required ?? []).includes(key);
    const present = value[key] !== undefined;
    const childPath = props.path ? `${props.path}.${key}` : key;
    if (optional && !present && isComplex(unwrapOptional(resolve(sub, props.root)))) {
      return (
        <OptionalToggle
          key={key}
          {...props}
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
        <FieldLabel schema={schema} name={props.name} />
      </legend>
      {body}
    </fieldset>
  );
}

function OptionalToggle(props: FieldProps & { onAdd: () => void }) {
  const { tr } = useLocale();
  return (
    <div className="field-row">
      <button type="button" className="link" onClick={props.onAdd}>
        + {tr('设置', 'Set')} <FieldLabel schema={unwrapOptional(props.schema)} name={props.name} />
      </button>
    </div>
  );
}

function ArrayField(props: FieldProps) {
  const { tr } = useLocale();
  const items = Array.isArray(props.value) ? props.value : [];
  const itemSchema = props.schema.items ?? {};
  return (
    <fieldset className="group" data-field={props.path}>
      <legend>
        <FieldLabel schema={props.schema} name={props.name} />
      </legend>
      {items.map((item, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items have no stable identity of their own
        <div className="array-item" key={`${index}-${items.length}`}>
          <Field
            {...props}
            schema={itemSchema}
            name={`#${index + 1}`}
            path={`${props.path}[${index}]`}
            value={item}
            onChange={(v) => props.onChange(items.map((old, i) => (i === index ? v : old)))}
          />
          <button
            type="button"
            className="link danger"
            onClick={() => props.onChange(items.filter((_, i) => i !== index))}
          >
            {tr('删除', 'Remove')}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="btn-small"
        onClick={() => props.onChange([...items, defaultFor(itemSchema, props.root)])}
      >
        + {tr('添加', 'Add')}
      </button>
      {props.errors.get(props.path) && <span className="field-message">{props.errors.get(props.path)}</span>}
    </fieldset>
  );
}

function EnumField(props: FieldProps) {
  const { locale } = useLocale();
  const i = locale === 'en' ? 1 : 0;
  return (
    <select value={String(props.value ?? '')} onChange={(e) => props.onChange(e.target.value)}>
      {props.value === undefined && <option value="">—</option>}
      {(props.schema.enum ?? []).map((option) => (
        <option key={String(option)} value={String(option)}>
          {ENUM_LABELS[String(option)]?.[i] ?? String(option)}
        </option>
      ))}
    </select>
  );
}

function TextInput(props: FieldProps) {
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

function NumberInput(props: FieldProps & { integer: boolean }) {
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

function ScalarInput(props: FieldProps) {
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

function TagsField(props: FieldProps) {
  const { tr } = useLocale();
  const tags = Array.isArray(props.value) ? (props.value as string[]) : [];
  const [draft, setDraft] = useState('');
  const add = () => {
    const tag = draft.trim();
    if (tag && !tags.includes(tag)) props.onChange([...tags, tag]);
    setDraft('');
  };
  return (
    <div className="tags">
      {tags.map((tag) => (
        <span className="tag" key={tag}>
          {tag}
          <button type="button" onClick={() => props.onChange(tags.filter((t) => t !== tag))}>
            ×
          </button>
        </span>
      ))}
      <input
        value={draft}
        placeholder={tr('输入后回车', 'Type, then Enter')}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
        onBlur={add}
      />
    </div>
  );
}

function CustomerTagsField(props: FieldProps) {
  const tags = Array.isArray(props.value) ? (props.value as string[]) : [];
  return (
    <TagPicker
      value={tags}
      onAdd={(tag) => props.onChange([...tags, tag])}
      onRemove={(tag) => props.onChange(tags.filter((t) => t !== tag))}
    />
  );
}

function DurationField(props: FieldProps) {
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

function TextArea(props: FieldProps & { widget: string }) {
  const { tr } = useLocale();
  const text = String(props.value ?? '');
  // Node packages name the signature field differently (sms uses `signName`).
  const sig = props.context.signName ?? props.context.signature;
  const signature = typeof sig === 'string' ? sig : '';
  const count = countSms(text, signature);
  const variables = [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]);
  return (
    <div className="textarea">
      <textarea rows={4} value={text} onChange={(e) => props.onChange(e.target.value)} />
      {props.widget === 'smsText' && (
        <div className="sms-meta" data-testid="sms-counter">
          <span>
            {tr(
              `${count.chars} 字（含签名）· ${count.parts} 条`,
              `${count.chars} chars (with signature) · ${count.parts} part(s)`,
            )}
          </span>
          <span className="muted">
            {tr(
              `单条 ${SMS_SINGLE_LIMIT} 字，长短信每条 ${SMS_PART_LIMIT} 字`,
              `${SMS_SINGLE_LIMIT} single, ${SMS_PART_LIMIT} per part`,
            )}
          </span>
          {!hasUnsubscribeHint(text) && (
            <span className="warn">
              {tr('缺少退订提示（如“回T退订”）', 'No opt-out hint (e.g. "reply T to stop")')}
            </span>
          )}
        </div>
      )}
      {variables.length > 0 && (
        <div className="muted">
          {tr('变量：', 'Variables: ')}
          {variables.join('、')}
        </div>
      )}
    </div>
  );
}

/** Fallback for shapes the form has no widget for: edit as JSON, applied only when it parses. */
function JsonField(props: FieldProps) {
  const { tr } = useLocale();
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
      {bad && <span className="field-message">{tr('JSON 格式不正确', 'Not valid JSON')}</span>}
    </div>
  );
}

/** A FilterSchema without its widget hint (settings' goal and exit): `match` + `conditions`. */
function isFilterSchema(schema: JsonSchema): boolean {
  const p = schema.properties;
  return Boolean(p?.match && p.conditions && Object.keys(p).length === 2);
}

function isDuration(schema: JsonSchema): boolean {
  const p = schema.properties;
  return widgetOf(schema) === 'duration' || Boolean(p && Object.keys(p).length === 2 && p.amount && p.unit);
}

function isComplex(schema: JsonSchema): boolean {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  return type === 'object' || (type === 'array' && !isTagsLike(schema));
}

function isTagsLike(schema: JsonSchema): boolean {
  return widgetOf(schema) === 'tags' || unwrapOptional(schema.items ?? {}).type === 'string';
}

function isScalarUnion(options: JsonSchema[]): boolean {
  return options.every((o) => ['string', 'number', 'boolean', 'array'].includes(String(o.type)));
}
