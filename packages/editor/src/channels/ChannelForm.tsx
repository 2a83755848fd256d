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
  const { t, locale } = useLocale();
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
      <h3>{t('channels:channelForm.newChannel')}</h3>
      <div className="field-row">
        <Field label={t('channels:channelForm.channelName')} path="name" errors={errors}>
          <Input
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            placeholder={t('channels:channelForm.eGDouble11Package')}
            data-testid="channel-name"
          />
        </Field>
        <Field label={t('channels:channelForm.kind')} path="kind" errors={errors}>
          <Select
            value={draft.kind}
            onChange={(kind: ChannelKind) => setDraft({ ...draft, kind })}
            data-testid="channel-kind"
            options={CHANNEL_KINDS.map((k) => ({ value: k, label: kindName(k, locale) }))}
          />
        </Field>
      </div>
      <fieldset className="group">
        <legend>{t('channels:channelForm.variantsOneCodeEach')}</legend>
        {errors.fields.codes && <p className="field-message">{pickLanguage(errors.fields.codes, locale)}</p>}
        {draft.codes.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions; their errors are addressed by index too
          <div className="field-row variant-row" key={i} data-testid="variant-row">
            <Field label={t('channels:addCodeForm.variant')} path={`codes[${i}].variant`} errors={errors}>
              <Input
                value={c.variant}
                onChange={(e) => setCode(i, { variant: e.target.value })}
                placeholder={t('channels:channelForm.scanForA5Coupon')}
              />
            </Field>
            <Field label={t('channels:addCodeForm.codeBlankGenerated')} path={`codes[${i}].code`} errors={errors}>
              <Input value={c.code} onChange={(e) => setCode(i, { code: e.target.value })} className="mono" />
            </Field>
            <Field label={t('channels:addCodeForm.targetUrlOptional')} path={`codes[${i}].targetUrl`} errors={errors}>
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
              title={t('channels:channelForm.removeVariant')}
              aria-label={t('channels:channelForm.removeVariant')}
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
          + {t('channels:channelForm.addVariant')}
        </Button>
      </fieldset>
      <FormMessage errors={errors} />
      <div className="form-actions">
        <Button type="primary" htmlType="submit" loading={busy} data-testid="create-channel">
          {t('channels:channelForm.create')}
        </Button>
        <Button onClick={props.onCancel}>{t('channels:channelForm.cancel')}</Button>
      </div>
    </form>
  );
}
