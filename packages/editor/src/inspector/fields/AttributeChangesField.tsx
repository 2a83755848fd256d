import type { AttributeChange } from '@siyu/nodes-core';
import { useLocale } from '../../app/i18n.ts';
import type { FieldProps } from './field-props.ts';

/** One change as core.updateAttributes' own schema defines it. */
type Change = AttributeChange;

const OPS = ['set', 'unset', 'increment'] as const;

/** The change an operator picks another operation for: the name stays, the value is the op's own. */
function withOp(change: Change, op: Change['op']): Change {
  if (op === 'set') return { op, name: change.name, value: change.op === 'set' ? change.value : '' };
  if (op === 'increment') return { op, name: change.name, by: change.op === 'increment' ? change.by : 1 };
  return { op, name: change.name };
}

/**
 * core.updateAttributes' changes as rows a marketer reads — 设置 layer 为 core, 增加 points 10,
 * 清除 coupon_code — instead of the JSON of each change. A value keeps the type it had (a number
 * stays a number when the text is one), and a new value is text.
 */
export function AttributeChangesField(props: FieldProps) {
  const { t } = useLocale();
  const changes = (Array.isArray(props.value) ? props.value : []) as Change[];
  const update = (index: number, next: Change) => props.onChange(changes.map((c, i) => (i === index ? next : c)));
  /** The first problem of a change (its attribute, then its value), under its row. */
  const problemOf = (index: number) =>
    ['name', 'value', 'by'].map((key) => props.errors.get(`${props.path}[${index}].${key}`)).find(Boolean);
  return (
    <div className="attribute-changes" data-testid="attribute-changes">
      {changes.map((change, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: changes have no identity of their own
        <div className="attribute-change" key={index} data-change={index}>
          <select
            value={change.op}
            onChange={(e) => update(index, withOp(change, e.target.value as Change['op']))}
            aria-label={t('inspector:attributeChanges.operation')}
            data-testid="change-op"
          >
            {OPS.map((op) => (
              <option key={op} value={op}>
                {t(`inspector:attributeChanges.ops.${op}`)}
              </option>
            ))}
          </select>
          <input
            value={change.name}
            onChange={(e) => update(index, { ...change, name: e.target.value })}
            placeholder={t('inspector:attributeChanges.namePlaceholder')}
            aria-label={t('inspector:attributeChanges.name')}
            data-testid="change-name"
          />
          {change.op === 'set' && (
            <input
              value={String(change.value)}
              onChange={(e) => {
                const text = e.target.value;
                const keepNumber =
                  typeof change.value === 'number' && text.trim() !== '' && Number.isFinite(Number(text));
                update(index, { ...change, value: keepNumber ? Number(text) : text });
              }}
              placeholder={t('inspector:attributeChanges.valuePlaceholder')}
              aria-label={t('inspector:attributeChanges.value')}
              data-testid="change-value"
            />
          )}
          {change.op === 'increment' && (
            <input
              type="number"
              value={Number.isFinite(change.by) ? change.by : ''}
              onChange={(e) => update(index, { ...change, by: e.target.value === '' ? 0 : Number(e.target.value) })}
              aria-label={t('inspector:attributeChanges.by')}
              data-testid="change-by"
            />
          )}
          <button
            type="button"
            className="link danger"
            onClick={() => props.onChange(changes.filter((_, i) => i !== index))}
          >
            {t('inspector:schemaForm.remove')}
          </button>
          {problemOf(index) && <span className="field-message">{problemOf(index)}</span>}
        </div>
      ))}
      <button
        type="button"
        className="btn-small"
        onClick={() => props.onChange([...changes, { op: 'set', name: '', value: '' }])}
      >
        + {t('inspector:schemaForm.add')}
      </button>
      {props.errors.get(props.path) && <span className="field-message">{props.errors.get(props.path)}</span>}
    </div>
  );
}
