import type { Condition, ConditionOperator, Filter } from '@siyu/shared';
import { useId } from 'react';
import { useLocale } from '../app/i18n.ts';
import { TagPicker } from '../app/TagPicker.tsx';
import {
  changeOperator,
  emptyFilter,
  newCondition,
  OPERATORS,
  operatorInfo,
  parseList,
  parseScalar,
  SUGGESTED_FIELDS,
  valueText,
} from './conditions.ts';

/**
 * The form for every FilterSchema field (branch cases, event filters, goal and exit rules,
 * segments): "all / any of" a list of field–operator–value rows, tags picked from the tags in use.
 * Validation messages come from the graph problems under `path` (e.g. `cases[0].filter.conditions[1].value`).
 */
export function ConditionBuilder(props: {
  value: unknown;
  onChange: (filter: Filter) => void;
  path: string;
  errors: ReadonlyMap<string, string>;
}) {
  const { t } = useLocale();
  const fieldsList = useId();
  const filter = isFilter(props.value) ? props.value : emptyFilter();
  const set = (patch: Partial<Filter>) => props.onChange({ ...filter, ...patch });
  const setCondition = (index: number, c: Condition) =>
    set({ conditions: filter.conditions.map((old, i) => (i === index ? c : old)) });
  return (
    <div className="condition-builder" data-widget="filter">
      <div className="condition-match">
        <select
          value={filter.match}
          onChange={(e) => set({ match: e.target.value as Filter['match'] })}
          data-testid="filter-match"
        >
          <option value="all">{t('inspector:conditionBuilder.matchAll')}</option>
          <option value="any">{t('inspector:conditionBuilder.matchAny')}</option>
        </select>
        {filter.conditions.length === 0 && (
          <span className="muted">{t('inspector:conditionBuilder.noConditionsEveryone')}</span>
        )}
      </div>
      {filter.conditions.map((c, index) => {
        const info = operatorInfo(c.op);
        const rowPath = `${props.path}.conditions[${index}]`;
        const error =
          props.errors.get(`${rowPath}.value`) ?? props.errors.get(`${rowPath}.field`) ?? props.errors.get(rowPath);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity of their own
          <div className={`condition-row ${error ? 'field-error' : ''}`} key={index} data-condition={index}>
            {info?.value !== 'tags' && (
              <input
                className="condition-field"
                list={fieldsList}
                value={c.field}
                placeholder={t('inspector:conditionBuilder.fieldEGAttributesCity')}
                onChange={(e) => setCondition(index, { ...c, field: e.target.value })}
                data-testid="condition-field"
              />
            )}
            <select
              value={c.op}
              onChange={(e) => setCondition(index, changeOperator(c, e.target.value as ConditionOperator))}
              data-testid="condition-op"
            >
              {OPERATORS.map((o) => (
                <option key={o.op} value={o.op}>
                  {t(`inspector:conditionOperators.${o.op}`)}
                </option>
              ))}
            </select>
            {info?.value === 'tags' && (
              <TagPicker
                value={Array.isArray(c.value) ? c.value.map(String) : c.value ? [String(c.value)] : []}
                onAdd={(tag) => {
                  const tags = [
                    ...(Array.isArray(c.value) ? c.value.map(String) : c.value ? [String(c.value)] : []),
                    tag,
                  ];
                  setCondition(index, { ...c, value: tags.length === 1 ? tag : tags });
                }}
                onRemove={(tag) => {
                  const tags = (Array.isArray(c.value) ? c.value.map(String) : [String(c.value)]).filter(
                    (t) => t !== tag,
                  );
                  setCondition(index, { ...c, value: tags.length === 1 ? tags[0] : tags.length ? tags : '' });
                }}
              />
            )}
            {(info?.value === 'one' || info?.value === 'list') && (
              // Uncontrolled so a half-typed list ("北京,") is not re-formatted; re-created when the operator changes.
              <input
                className="condition-value"
                defaultValue={valueText(c.value)}
                key={c.op}
                placeholder={
                  info.value === 'list'
                    ? t('inspector:conditionBuilder.commaSeparatedValues')
                    : t('inspector:conditionBuilder.value')
                }
                onChange={(e) =>
                  setCondition(index, {
                    ...c,
                    value: info.value === 'list' ? parseList(e.target.value) : parseScalar(e.target.value),
                  })
                }
                data-testid="condition-value"
              />
            )}
            <button
              type="button"
              className="link danger"
              title={t('inspector:conditionBuilder.removeCondition')}
              onClick={() => set({ conditions: filter.conditions.filter((_, i) => i !== index) })}
            >
              ✕
            </button>
            {error && <span className="field-message">{error}</span>}
          </div>
        );
      })}
      <button
        type="button"
        className="btn-small"
        onClick={() => set({ conditions: [...filter.conditions, newCondition()] })}
        data-testid="condition-add"
      >
        + {t('inspector:conditionBuilder.addCondition')}
      </button>
      <datalist id={fieldsList}>
        {SUGGESTED_FIELDS.map((f) => (
          <option key={f} value={f}>
            {t(`inspector:conditionFields.${f}`)}
          </option>
        ))}
      </datalist>
    </div>
  );
}

function isFilter(value: unknown): value is Filter {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Filter).conditions) &&
    ((value as Filter).match === 'all' || (value as Filter).match === 'any')
  );
}
