import { Button, Input } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';
import { type CodeDraft, codeDraft, codeInput, deliveredName, nextVariantName } from './model.ts';
import { Field, FormMessage, useAction } from './parts.tsx';

const CODE_FIELDS = /^(variant|code|targetUrl|delivered)$/;

/** 添加渠道码: a new variant (or another code for one) on an existing channel. */
export function AddCodeForm(props: { channelId: string; kind: string; variants: string[]; onAdded: () => void }) {
  const { t, locale } = useLocale();
  const [draft, setDraft] = useState<CodeDraft>(() => codeDraft(nextVariantName(props.variants)));
  const { busy, errors, run } = useAction((path) => CODE_FIELDS.test(path));
  const set = (patch: Partial<CodeDraft>) => setDraft((d) => ({ ...d, ...patch }));
  return (
    <form
      className="card add-code"
      data-testid="add-code-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const ok = await run(() => api.channels.addCode.mutate({ channelId: props.channelId, ...codeInput(draft) }));
        if (!ok) return;
        setDraft(codeDraft(nextVariantName([...props.variants, draft.variant])));
        props.onAdded();
      }}
    >
      <h3>{t('channels:addCodeForm.addACode')}</h3>
      <div className="field-row">
        <Field label={t('channels:addCodeForm.variant')} path="variant" errors={errors}>
          <Input
            value={draft.variant}
            onChange={(e) => set({ variant: e.target.value })}
            data-testid="add-code-variant"
          />
        </Field>
        <Field label={t('channels:addCodeForm.codeBlankGenerated')} path="code" errors={errors}>
          <Input
            value={draft.code}
            onChange={(e) => set({ code: e.target.value })}
            className="mono"
            data-testid="add-code-code"
          />
        </Field>
        <Field label={t('channels:addCodeForm.targetUrlOptional')} path="targetUrl" errors={errors}>
          <Input value={draft.targetUrl} onChange={(e) => set({ targetUrl: e.target.value })} placeholder="https://" />
        </Field>
        <Field label={deliveredName(props.kind, locale)} path="delivered" errors={errors}>
          <Input type="number" min={0} value={draft.delivered} onChange={(e) => set({ delivered: e.target.value })} />
        </Field>
      </div>
      <FormMessage errors={errors} />
      <Button htmlType="submit" loading={busy} data-testid="add-code">
        + {t('channels:addCodeForm.add')}
      </Button>
    </form>
  );
}
