import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Radio, Select, Space, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { rowAttributes } from '../app/kit/table.ts';
import { choiceOf, FIELD_CHOICES, type FieldChoice, fieldLabel, fieldOf } from './fields.ts';
import type { ImportField, ImportPreview } from './types.ts';

type Column = ImportPreview['columns'][number];

export interface ImportSettings {
  mapping: Record<string, ImportField>;
  mode: 'strict' | 'skipInvalid';
}

/**
 * The file's columns with the field each fills (guessed by the server, always editable), the first
 * rows to check them against, the sheet (XLSX), saved mappings and strict or skip-invalid.
 */
export function MappingStep(props: {
  preview: ImportPreview;
  busy: boolean;
  /** Read the file again with another sheet or a saved mapping. */
  onReread: (change: { sheet?: string; preset?: string }) => void;
  onImport: (settings: ImportSettings) => void;
  onBack: () => void;
}) {
  const { t } = useLocale();
  const { preview } = props;
  const [fields, setFields] = useState<Record<number, ImportField>>({});
  const [mode, setMode] = useState<ImportSettings['mode']>('skipInvalid');
  const [presetName, setPresetName] = useState('');
  const queryClient = useQueryClient();
  const presets = useQuery(trpc.audiences.mappingPresets.queryOptions());
  const savePreset = useMutation(
    trpc.audiences.saveMappingPreset.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.audiences.mappingPresets.queryFilter()),
    }),
  );
  const fieldAt = (c: Column) => fields[c.index] ?? c.field;
  // Every named column explicitly: what the operator sees is what the import reads.
  const mapping = Object.fromEntries(
    preview.columns.filter((c) => c.header.trim() !== '').map((c) => [c.header, fieldAt(c)]),
  ) as Record<string, ImportField>;
  const identifiable = preview.columns.some((c) => ['phone', 'externalId', 'wecomExternalUserId'].includes(fieldAt(c)));
  const columns: TableColumnsType<Column> = [
    { key: 'header', title: t('importer:mapping.column'), render: (_, c) => c.header || '—' },
    {
      key: 'field',
      title: t('importer:mapping.field'),
      width: 220,
      render: (_, c) => (
        <Select<FieldChoice>
          value={choiceOf(fieldAt(c))}
          style={{ width: 200 }}
          data-testid={`field-${c.index}`}
          onChange={(choice) => setFields((f) => ({ ...f, [c.index]: fieldOf(choice, c.header) }))}
          options={FIELD_CHOICES.filter((choice) => choice !== 'attribute' || c.header).map((choice) => ({
            value: choice,
            label: fieldLabel(t, choice),
          }))}
        />
      ),
    },
    {
      key: 'sample',
      title: t('importer:mapping.sample'),
      render: (_, c) => (
        <span className="muted">
          {preview.sample
            .map((row) => row[c.index] ?? '')
            .filter(Boolean)
            .slice(0, 3)
            .join(' · ')}
        </span>
      ),
    },
  ];
  return (
    <section data-testid="import-mapping">
      <p className="muted" data-testid="import-file-facts">
        {t('importer:mapping.facts', {
          count: preview.totalRows,
          format: preview.format === 'xlsx' ? 'XLSX' : `CSV · ${t(`importer:encoding.${preview.encoding ?? 'utf-8'}`)}`,
        })}
      </p>
      <Space wrap style={{ marginBottom: 12 }}>
        {preview.sheets && preview.sheets.length > 1 && (
          <Select
            value={preview.sheet}
            style={{ width: 200 }}
            data-testid="import-sheet"
            onChange={(sheet) => props.onReread({ sheet })}
            options={preview.sheets.map((s) => ({ value: s, label: t('importer:mapping.sheet', { sheet: s }) }))}
          />
        )}
        <Select
          allowClear
          placeholder={t('importer:mapping.usePreset')}
          style={{ width: 220 }}
          data-testid="import-preset"
          onChange={(preset?: string) => {
            setFields({});
            if (preset) props.onReread({ preset });
          }}
          options={(presets.data ?? []).map((p) => ({ value: p.name, label: p.name }))}
        />
        <Space.Compact>
          <Input
            value={presetName}
            maxLength={100}
            onChange={(e) => setPresetName(e.target.value)}
            placeholder={t('importer:mapping.presetName')}
            data-testid="import-preset-name"
          />
          <Button
            disabled={!presetName.trim()}
            loading={savePreset.isPending}
            onClick={() => savePreset.mutate({ name: presetName.trim(), mapping })}
            data-testid="import-save-preset"
          >
            {t('importer:mapping.savePreset')}
          </Button>
        </Space.Compact>
      </Space>
      {savePreset.isSuccess && (
        <p className="muted" data-testid="import-preset-saved">
          {t('importer:mapping.presetSaved', { name: savePreset.data.name })}
        </p>
      )}
      {savePreset.error && <p className="field-message">{errorText(savePreset.error)}</p>}
      {!identifiable && <Alert type="warning" showIcon title={t('importer:mapping.needsIdentity')} />}
      <Table<Column>
        className="data-table"
        rowKey="index"
        size="small"
        columns={columns}
        dataSource={preview.columns}
        pagination={false}
        onRow={(c) => rowAttributes('import-column', { header: c.header })}
      />
      <Space style={{ marginTop: 16 }} wrap>
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} data-testid="import-mode">
          <Radio value="skipInvalid">{t('importer:mode.skipInvalid')}</Radio>
          <Radio value="strict">{t('importer:mode.strict')}</Radio>
        </Radio.Group>
        <Button onClick={props.onBack}>{t('importer:mapping.back')}</Button>
        <Button
          type="primary"
          disabled={!identifiable}
          loading={props.busy}
          onClick={() => props.onImport({ mapping, mode })}
          data-testid="import-start"
        >
          {t('importer:mapping.start', { count: preview.totalRows })}
        </Button>
      </Space>
    </section>
  );
}
