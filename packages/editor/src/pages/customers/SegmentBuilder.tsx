import { KNOWN_EVENT_TYPES, RFM_SEGMENTS } from '@siyu/shared';
import { Button, DatePicker, Input, InputNumber, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { useLocale } from '../../app/i18n.ts';
import {
  ATTRIBUTE_OPS,
  type AttributeOp,
  type GroupDraft,
  newRow,
  type RowDraft,
  type RowKind,
  type SegmentDraft,
} from './segment-model.ts';

export interface SegmentFields {
  tags: string[];
  attributeKeys: string[];
  eventTypes: string[];
}

const KINDS: readonly RowKind[] = ['tag', 'attribute', 'rfm', 'event'];

/**
 * 人群圈选: AND/OR groups of conditions, each a field (tag, attribute, RFM layer, event in a
 * period) with an operator and a value picked from what the workspace has. Controlled: the page
 * owns the draft and counts it.
 */
export function SegmentBuilder({
  draft,
  onChange,
  fields,
}: {
  draft: SegmentDraft;
  onChange: (draft: SegmentDraft) => void;
  fields: SegmentFields;
}) {
  const { t } = useLocale();
  const setGroup = (i: number, group: GroupDraft | null) =>
    onChange({
      ...draft,
      groups:
        group === null ? draft.groups.filter((_, j) => j !== i) : draft.groups.map((g, j) => (j === i ? group : g)),
    });
  return (
    <div className="segment-builder" data-testid="segment-builder">
      <Space wrap>
        <Select
          value={draft.match}
          onChange={(match) => onChange({ ...draft, match })}
          options={[
            { value: 'all', label: t('customers:builder.matchAllGroups') },
            { value: 'any', label: t('customers:builder.matchAnyGroup') },
          ]}
          style={{ width: 200 }}
          data-testid="segment-match"
        />
      </Space>
      {draft.groups.map((group, i) => (
        <GroupEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: groups have no identity but their place
          key={i}
          index={i}
          group={group}
          fields={fields}
          onChange={(g) => setGroup(i, g)}
        />
      ))}
      <Button
        onClick={() => onChange({ ...draft, groups: [...draft.groups, { match: 'all', rows: [newRow('tag')] }] })}
        data-testid="segment-add-group"
      >
        {t('customers:builder.addGroup')}
      </Button>
    </div>
  );
}

function GroupEditor({
  index,
  group,
  fields,
  onChange,
}: {
  index: number;
  group: GroupDraft;
  fields: SegmentFields;
  onChange: (group: GroupDraft | null) => void;
}) {
  const { t } = useLocale();
  const setRow = (i: number, row: RowDraft | null) =>
    onChange({
      ...group,
      rows: row === null ? group.rows.filter((_, j) => j !== i) : group.rows.map((r, j) => (j === i ? row : r)),
    });
  return (
    <fieldset className="segment-group" data-testid={`segment-group-${index}`}>
      <legend>
        <Space>
          {t('customers:builder.group', { n: index + 1 })}
          <Select
            size="small"
            value={group.match}
            onChange={(match) => onChange({ ...group, match })}
            options={[
              { value: 'all', label: t('customers:builder.matchAll') },
              { value: 'any', label: t('customers:builder.matchAny') },
            ]}
            style={{ width: 160 }}
            data-testid="segment-group-match"
          />
          <Button size="small" type="link" danger onClick={() => onChange(null)}>
            {t('customers:builder.removeGroup')}
          </Button>
        </Space>
      </legend>
      {group.rows.map((row, i) => (
        <RowEditor
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity but their place
          key={i}
          row={row}
          fields={fields}
          onChange={(r) => setRow(i, r)}
        />
      ))}
      <Button
        size="small"
        onClick={() => onChange({ ...group, rows: [...group.rows, newRow('tag')] })}
        data-testid="segment-add-row"
      >
        {t('customers:builder.addRow')}
      </Button>
    </fieldset>
  );
}

function RowEditor({
  row,
  fields,
  onChange,
}: {
  row: RowDraft;
  fields: SegmentFields;
  onChange: (row: RowDraft | null) => void;
}) {
  const { t, loc } = useLocale();
  const kindLabel: Record<RowKind, string> = {
    tag: t('customers:builder.kindTag'),
    attribute: t('customers:builder.kindAttribute'),
    rfm: t('customers:builder.kindRfm'),
    event: t('customers:builder.kindEvent'),
  };
  const opLabel: Record<AttributeOp, string> = {
    eq: t('customers:builder.opEq'),
    neq: t('customers:builder.opNeq'),
    contains: t('customers:builder.opContains'),
    gt: t('customers:builder.opGt'),
    lt: t('customers:builder.opLt'),
    exists: t('customers:builder.opExists'),
    notExists: t('customers:builder.opNotExists'),
  };
  const remove = (
    <Button
      size="small"
      type="link"
      danger
      onClick={() => onChange(null)}
      aria-label={t('customers:builder.removeRow')}
    >
      {t('customers:builder.removeRow')}
    </Button>
  );
  if (row.kind === 'other') {
    return (
      <div className="segment-row" data-testid="segment-row" data-kind="other">
        <span className="muted">{t('customers:builder.otherRule')}</span>
        {remove}
      </div>
    );
  }
  return (
    <div className="segment-row" data-testid="segment-row" data-kind={row.kind}>
      <Space wrap>
        <Select<RowKind>
          value={row.kind}
          onChange={(kind) => onChange(newRow(kind))}
          options={KINDS.map((k) => ({ value: k, label: kindLabel[k] }))}
          style={{ width: 120 }}
          data-testid="segment-row-kind"
        />
        {row.kind === 'tag' && (
          <>
            <Select
              value={row.op}
              onChange={(op) => onChange({ ...row, op })}
              options={[
                { value: 'hasTag', label: t('customers:builder.opHasTag') },
                { value: 'lacksTag', label: t('customers:builder.opLacksTag') },
              ]}
              style={{ width: 120 }}
            />
            <Select
              showSearch
              value={row.tag}
              placeholder={t('customers:builder.pickTag')}
              onChange={(tag) => onChange({ ...row, tag })}
              options={fields.tags.map((tag) => ({ value: tag, label: tag }))}
              style={{ width: 180 }}
              data-testid="segment-row-tag"
            />
          </>
        )}
        {row.kind === 'attribute' && (
          <>
            <Select
              showSearch
              value={row.key}
              placeholder={t('customers:builder.pickAttribute')}
              onChange={(key) => onChange({ ...row, key })}
              options={fields.attributeKeys.map((key) => ({ value: key, label: key }))}
              style={{ width: 160 }}
              data-testid="segment-row-attribute"
            />
            <Select<AttributeOp>
              value={row.op}
              onChange={(op) => onChange({ ...row, op })}
              options={ATTRIBUTE_OPS.map((op) => ({ value: op, label: opLabel[op] }))}
              style={{ width: 110 }}
              data-testid="segment-row-op"
            />
            {row.op !== 'exists' && row.op !== 'notExists' && (
              <Input
                value={row.value}
                placeholder={t('customers:builder.value')}
                onChange={(e) => onChange({ ...row, value: e.target.value })}
                style={{ width: 160 }}
                data-testid="segment-row-value"
              />
            )}
          </>
        )}
        {row.kind === 'rfm' && (
          <>
            <Select
              value={row.op}
              onChange={(op) => onChange({ ...row, op })}
              options={[
                { value: 'eq', label: t('customers:builder.opIn') },
                { value: 'neq', label: t('customers:builder.opNotIn') },
              ]}
              style={{ width: 110 }}
            />
            <Select
              value={row.layer}
              placeholder={t('customers:builder.pickLayer')}
              onChange={(layer) => onChange({ ...row, layer })}
              options={RFM_SEGMENTS.map((s) => ({ value: s.id, label: loc(s.label) }))}
              style={{ width: 180 }}
              data-testid="segment-row-rfm"
            />
          </>
        )}
        {row.kind === 'event' && (
          <>
            <Select
              showSearch
              value={row.event}
              placeholder={t('customers:builder.pickEvent')}
              onChange={(event) => onChange({ ...row, event })}
              options={fields.eventTypes.map((type) => {
                const known = KNOWN_EVENT_TYPES[type];
                return { value: type, label: known ? loc(known) : type };
              })}
              optionFilterProp="label"
              style={{ width: 200 }}
              data-testid="segment-row-event"
            />
            <Select
              value={row.period.mode}
              onChange={(mode) =>
                onChange({ ...row, period: mode === 'lastDays' ? { mode, days: 30 } : { mode: 'range' } })
              }
              options={[
                { value: 'lastDays', label: t('customers:builder.periodLastDays') },
                { value: 'range', label: t('customers:builder.periodRange') },
              ]}
              style={{ width: 110 }}
              data-testid="segment-row-period"
            />
            {row.period.mode === 'lastDays' ? (
              <InputNumber
                min={1}
                max={3650}
                value={row.period.days}
                onChange={(days) => onChange({ ...row, period: { mode: 'lastDays', days: days ?? 0 } })}
                suffix={t('customers:builder.days')}
                style={{ width: 110 }}
                data-testid="segment-row-days"
              />
            ) : (
              <DatePicker.RangePicker
                value={
                  row.period.from !== undefined && row.period.to !== undefined
                    ? [dayjs(row.period.from), dayjs(row.period.to - 1)]
                    : null
                }
                onChange={(range) =>
                  onChange({
                    ...row,
                    period: {
                      mode: 'range',
                      // The whole of both days, in the operator's time zone: [start of first, end of last].
                      from: range?.[0]?.startOf('day').valueOf(),
                      to: range?.[1] ? range[1].endOf('day').valueOf() + 1 : undefined,
                    },
                  })
                }
                data-testid="segment-row-range"
              />
            )}
            <Select
              value={row.op}
              onChange={(op) => onChange({ ...row, op })}
              options={[
                { value: 'atLeast', label: t('customers:builder.opAtLeast') },
                { value: 'fewerThan', label: t('customers:builder.opFewerThan') },
              ]}
              style={{ width: 120 }}
              data-testid="segment-row-event-op"
            />
            <InputNumber
              min={1}
              max={100000}
              value={row.times}
              onChange={(times) => onChange({ ...row, times: times ?? 1 })}
              suffix={t('customers:builder.times')}
              style={{ width: 100 }}
              data-testid="segment-row-times"
            />
          </>
        )}
        {remove}
      </Space>
    </div>
  );
}
