import { Button, Input, Select } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import {
  CHANNEL_KINDS,
  type ChannelDraft,
  type ChannelKind,
  type CodeDraft,
  codeDraft,
  createInput,
  deliveredName,
  kindName,
  nextVariantName,
  pickLanguage,
} from './model.ts';
import { Field, FormMessage, useAction } from './parts.tsx';

const CREATE_FIELDS = /^(name|kind|codes|codes\[\d+\]\.(variant|code|targetUrl|delivered))$/;

/** 新建渠道: name, kind and its variants (each one entry code); the server's schema judges the input. */
export function ChannelForm(props: { onCreated: (channelId: string) => void; onCancel: () => void }) {
  const { tr, locale } = useLocale();
  const [draft, setDraft] = useState<ChannelDraft>({ name: '', kind: 'packageCard', codes: [codeDraft('A')] });
  const { busy, errors, run } = useAction((path) => CREATE_FIELDS.test(path));
  const setCode = (i: number, patch: Partial<CodeDraft>) =>
    setDraft((d) => ({ ...d, codes: d.codes.map((c, j) => (j === i ? { ...c, ...patch } : c)) }));
  return (
    <form
      className="card channel-form"
      data-testid="channel-form"
      onSubmit={(e) => {
        e.preventDefault();
        void run(async () => props.onCreated((await api.channels.create.mutate(createInput(draft))).id));
      }}
    >
      <h3>{tr('新建渠道', 'New channel')}</h3>
      <div className="field-row">
        <Field label={tr('渠道名称', 'Channel name')} path="name" errors={errors}>
          <Input
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            placeholder={tr('例如：双11 包裹卡', 'e.g. Double 11 package card')}
            data-testid="channel-name"
          />
        </Field>
        <Field label={tr('类型', 'Kind')} path="kind" errors={errors}>
          <Select
            value={draft.kind}
            onChange={(kind: ChannelKind) => setDraft({ ...draft, kind })}
            data-testid="channel-kind"
            options={CHANNEL_KINDS.map((k) => ({ value: k, label: kindName(k, locale) }))}
          />
        </Field>
      </div>
      <fieldset className="group">
        <legend>{tr('方案（每个方案一个渠道码）', 'Variants (one code each)')}</legend>
        {errors.fields.codes && <p className="field-message">{pickLanguage(errors.fields.codes, locale)}</p>}
        {draft.codes.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions; their errors are addressed by index too
          <div className="field-row variant-row" key={i} data-testid="variant-row">
            <Field label={tr('方案名称', 'Variant')} path={`codes[${i}].variant`} errors={errors}>
              <Input
                value={c.variant}
                onChange={(e) => setCode(i, { variant: e.target.value })}
                placeholder={tr('扫码领 5 元券', 'Scan for a ¥5 coupon')}
              />
            </Field>
            <Field
              label={tr('渠道码（留空自动生成）', 'Code (blank: generated)')}
              path={`codes[${i}].code`}
              errors={errors}
            >
              <Input value={c.code} onChange={(e) => setCode(i, { code: e.target.value })} className="mono" />
            </Field>
            <Field
              label={tr('跳转链接（可选）', 'Target URL (optional)')}
              path={`codes[${i}].targetUrl`}
              errors={errors}
            >
              <Input
                value={c.targetUrl}
                onChange={(e) => setCode(i, { targetUrl: e.target.value })}
                placeholder="https://"
              />
            </Field>
            <Field label={deliveredName(draft.kind, locale)} path={`codes[${i}].delivered`} errors={errors}>
              <Input
                type="number"
                min={0}
                value={c.delivered}
                onChange={(e) => setCode(i, { delivered: e.target.value })}
              />
            </Field>
            <Button
              type="link"
              danger
              disabled={draft.codes.length === 1}
              onClick={() => setDraft((d) => ({ ...d, codes: d.codes.filter((_, j) => j !== i) }))}
              title={tr('删除方案', 'Remove variant')}
              aria-label={tr('删除方案', 'Remove variant')}
            >
              ✕
            </Button>
          </div>
        ))}
        <Button
          data-testid="add-variant"
          onClick={() =>
            setDraft((d) => ({ ...d, codes: [...d.codes, codeDraft(nextVariantName(d.codes.map((c) => c.variant)))] }))
          }
        >
          + {tr('添加方案', 'Add variant')}
        </Button>
      </fieldset>
      <FormMessage errors={errors} />
      <div className="form-actions">
        <Button type="primary" htmlType="submit" loading={busy} data-testid="create-channel">
          {tr('创建', 'Create')}
        </Button>
        <Button onClick={props.onCancel}>{tr('取消', 'Cancel')}</Button>
      </div>
    </form>
  );
}
