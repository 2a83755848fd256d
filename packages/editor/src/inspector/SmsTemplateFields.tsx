// The SMS node's template fields: pick a registered template (SMS templates page), then say where
// each of its variables comes from for each customer. The preview counts characters and billed
// parts with @siyu/nodes-sms's own rules (countSmsParts: the 【sign name】 and the template's
// opt-out words are in the count).
import {
  countSmsParts,
  fillTemplateText,
  SMS_PART_LENGTH,
  SMS_SINGLE_LIMIT,
  SMS_VARIABLE_SOURCES,
  type SmsVariableMapping,
  type SmsVariableSource,
  signedSmsText,
  templateVariableNames,
} from '@siyu/nodes-sms';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useEditor } from '../app/editor-context.ts';
import { useLocale } from '../app/i18n.ts';
import { REFRESH_ON_RETURN, trpc } from '../app/kit/query.ts';
import { NEW_SMS_TEMPLATE_HREF } from '../app/routes.ts';
import type { api } from '../app/server-api.ts';
import type { FieldProps } from './fields/field-props.ts';

type Template = Awaited<ReturnType<typeof api.smsTemplates.list.query>>[number];

/** The workspace's templates (undefined without a server or until loaded). */
function useTemplates(): Template[] | undefined {
  return useQuery(trpc.smsTemplates.list.queryOptions(undefined, REFRESH_ON_RETURN)).data;
}

/** `templateId`: a select of the registered templates, with a link to register one. */
export function SmsTemplatePicker(props: FieldProps) {
  const { t } = useLocale();
  const templates = useTemplates();
  const current = typeof props.value === 'string' ? props.value : '';
  const missing = current !== '' && templates !== undefined && !templates.some((x) => x.id === current);
  return (
    <span className="credential-picker">
      <select value={current} onChange={(e) => props.onChange(e.target.value)} data-picker="smsTemplate">
        <option value="">{t('resources:smsNode.chooseTemplate')}</option>
        {missing && <option value={current}>{t('resources:smsNode.templateMissing')}</option>}
        {(templates ?? []).map((x) => (
          <option key={x.id} value={x.id}>
            {`${x.name} ·${signedSmsText(x.signName)}`}
          </option>
        ))}
      </select>{' '}
      <a href={NEW_SMS_TEMPLATE_HREF} target="_blank" rel="noopener" data-testid="new-sms-template">
        {t('resources:smsNode.registerTemplate')}
      </a>
    </span>
  );
}

/** Values of a typical length, so the count says roughly what a customer's SMS will bill. */
const sampleValues = (t: TFunction): Record<SmsVariableSource, string> => ({
  displayName: t('resources:smsNode.sampleName'),
  phoneTail: '8000',
  attribute: t('resources:smsNode.sampleAttribute'),
  // Coupon codes are our coupon ids (cpn_ + 32 hex digits), what a till redeems.
  coupon: `cpn_${'0'.repeat(32)}`,
  // <PUBLIC_URL>/webhooks/sms/link?c= + 16 characters; the base is the deployment's (about 30 here).
  link: `https://brand.example.cn/webhooks/sms/link?c=${'x'.repeat(16)}`,
  text: '',
});

function sourceLabel(t: TFunction, source: SmsVariableSource): string {
  switch (source) {
    case 'displayName':
      return t('resources:smsNode.sourceName');
    case 'phoneTail':
      return t('resources:smsNode.sourcePhoneTail');
    case 'attribute':
      return t('resources:smsNode.sourceAttribute');
    case 'coupon':
      return t('resources:smsNode.sourceCoupon');
    case 'link':
      return t('resources:smsNode.sourceLink');
    case 'text':
      return t('resources:smsNode.sourceText');
  }
}

/** `variables`: one row per template variable (source + its detail), then the preview and count. */
export function SmsVariablesField(props: FieldProps) {
  const { t } = useLocale();
  const { nodes } = useEditor();
  const templates = useTemplates();
  const template = templates?.find((x) => x.id === props.context.templateId);
  if (!template) return <span className="muted">{t('resources:smsNode.pickTemplateFirst')}</span>;
  const mapping = (props.value ?? {}) as Record<string, SmsVariableMapping | undefined>;
  const names = templateVariableNames(template.text);
  // Coupon codes come from a coupon node of this journey that names a batch.
  const couponNodes = nodes()
    .filter((n) => n.data.nodeType === 'coupons.issue')
    .flatMap((n, i) => {
      const stockId = (n.data.config as { stockId?: unknown }).stockId;
      if (typeof stockId !== 'string' || stockId === '') return [];
      return [{ stockId, label: n.data.label || t('resources:smsNode.couponNode', { n: i + 1 }) }];
    });
  // A coupon code needs a coupon node in the journey; a link needs the node's tracked link set.
  const offered = (s: SmsVariableSource) =>
    s === 'coupon' ? couponNodes.length > 0 : s === 'link' ? props.context.trackedLink !== undefined : true;
  const set = (name: string, next: SmsVariableMapping) => props.onChange({ ...mapping, [name]: next });
  const samples = sampleValues(t);
  const preview = fillTemplateText(
    template.text,
    Object.fromEntries(
      names.map((name) => {
        const m = mapping[name];
        return [name, m ? (m.source === 'text' ? m.value : samples[m.source]) : ''];
      }),
    ),
  );
  const count = countSmsParts(preview, template.signName);
  return (
    <div className="sms-variables" data-testid="sms-variables">
      {names.length === 0 && <span className="muted">{t('resources:smsNode.noVariables')}</span>}
      {names.map((name) => {
        const m = mapping[name];
        const error = props.errors.get(`${props.path}.${name}`);
        return (
          <div key={name} className={`field ${error ? 'field-error' : ''}`} data-variable={name}>
            <span className="field-label">{t('resources:smsNode.variable', { name })}</span>
            <select
              value={m?.source ?? ''}
              data-testid={`sms-variable-source-${name}`}
              onChange={(e) => {
                const source = e.target.value as SmsVariableSource;
                const value = source === 'coupon' && couponNodes.length === 1 ? (couponNodes[0]?.stockId ?? '') : '';
                set(name, { source, value });
              }}
            >
              <option value="">{t('resources:smsNode.chooseSource')}</option>
              {SMS_VARIABLE_SOURCES.filter((s) => offered(s) || m?.source === s).map((s) => (
                <option key={s} value={s}>
                  {sourceLabel(t, s)}
                </option>
              ))}
            </select>
            {(m?.source === 'attribute' || m?.source === 'text') && (
              <input
                value={m.value}
                maxLength={100}
                placeholder={
                  m.source === 'attribute' ? t('resources:smsNode.attributeKey') : t('resources:smsNode.fixedText')
                }
                data-testid={`sms-variable-value-${name}`}
                onChange={(e) => set(name, { source: m.source, value: e.target.value })}
              />
            )}
            {m?.source === 'coupon' && couponNodes.length > 1 && (
              <select value={m.value} onChange={(e) => set(name, { source: 'coupon', value: e.target.value })}>
                <option value="">{t('resources:smsNode.chooseCouponNode')}</option>
                {couponNodes.map((c) => (
                  <option key={c.stockId} value={c.stockId}>
                    {c.label}
                  </option>
                ))}
              </select>
            )}
            {error && <span className="field-message">{error}</span>}
          </div>
        );
      })}
      <div className="sms-meta" data-testid="sms-counter">
        <span data-testid="sms-preview">{signedSmsText(template.signName, preview)}</span>
        <span>{t('resources:smsNode.count', { chars: count.chars, count: count.parts })}</span>
        <span className="muted">
          {t('resources:smsNode.countRule', { single: SMS_SINGLE_LIMIT, part: SMS_PART_LENGTH })}
        </span>
      </div>
    </div>
  );
}
