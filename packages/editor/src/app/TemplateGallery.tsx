// The template gallery, apart from the operator's journeys. A template names the playbook's own
// channel and coupon stocks, which this workspace does not have; "use this template" walks through
// each of them (pick one of yours, or create a coupon stock on the spot) before the copy is made,
// so the new journey does not start with references that fail when the first customer arrives.

import { type Locale, localize } from '@siyu/shared';
import { useCallback, useEffect, useState } from 'react';
import { useLocale } from './i18n.ts';
import { listText } from './list-format.ts';
import { api } from './server-api.ts';

type Template = Awaited<ReturnType<typeof api.journeys.templates.query>>[number];
type Need = Template['needs'][number];
type Created = Awaited<ReturnType<typeof api.journeys.fromTemplate.mutate>>;

const needKey = (n: Need) => `${n.nodeId}\u0000${n.path}`;

/** "渠道 ×1、优惠券批次 ×2" / "Channel ×1, Coupon stock ×2": what a template needs, by kind. */
function needsSummary(needs: Need[], locale: Locale): string {
  const counts = new Map<string, number>();
  for (const n of needs) counts.set(localize(n.label, locale), (counts.get(localize(n.label, locale)) ?? 0) + 1);
  return listText(
    [...counts].map(([label, count]) => `${label} ×${count}`),
    locale,
  );
}

export function TemplateGallery({ onCreated }: { onCreated: (journey: Created) => void }) {
  const { t, locale } = useLocale();
  const [templates, setTemplates] = useState<Template[]>([]);
  const [using, setUsing] = useState<Template | null>(null);
  const reload = useCallback(() => {
    api.journeys.templates.query().then(setTemplates, () => setTemplates([]));
  }, []);
  useEffect(reload, [reload]);
  if (templates.length === 0) return null;
  return (
    <section className="template-gallery" data-testid="template-gallery">
      <h2>{t('app:templateGallery.templates')}</h2>
      <div className="template-cards">
        {templates.map((template) => (
          <article key={template.id} className="template-card" data-template={template.name}>
            <h3>{template.name}</h3>
            <p className="muted">{template.description}</p>
            <p data-testid="template-needs">
              {template.needs.length
                ? `${t('app:templateGallery.needs')}${needsSummary(template.needs, locale)}`
                : t('app:templateGallery.nothingToPrepare')}
            </p>
            <button type="button" className="primary" data-testid="use-template" onClick={() => setUsing(template)}>
              {t('app:templateGallery.useThisTemplate')}
            </button>
          </article>
        ))}
      </div>
      {using && (
        <Walkthrough
          template={using}
          onCancel={() => setUsing(null)}
          onCreated={(journey) => {
            setUsing(null);
            reload();
            onCreated(journey);
          }}
        />
      )}
    </section>
  );
}

/** One step per reference the workspace lacks: choose an existing resource, or leave it for later. */
function Walkthrough(props: { template: Template; onCancel: () => void; onCreated: (journey: Created) => void }) {
  const { t, loc } = useLocale();
  const [name, setName] = useState(props.template.name);
  const [picks, setPicks] = useState<Record<string, string>>({});
  // Stocks created here join every coupon step's options (one stock may serve several steps).
  const [extra, setExtra] = useState<Record<string, Array<{ id: string; name: string }>>>({});
  const [error, setError] = useState('');
  const create = async () => {
    setError('');
    try {
      const chosen = props.template.needs
        .filter((n) => picks[needKey(n)])
        .map((n) => ({ nodeId: n.nodeId, path: n.path, id: picks[needKey(n)] as string }));
      props.onCreated(await api.journeys.fromTemplate.mutate({ id: props.template.id, name, picks: chosen }));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <div className="template-walkthrough" data-testid="template-walkthrough">
      <h3>{t('app:templateGallery.newJourneyFromName', { name: props.template.name })}</h3>
      <label className="field">
        {t('app:templateGallery.journeyName')}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="template-journey-name" />
      </label>
      {props.template.needs.length > 0 && (
        <p className="muted">{t('app:templateGallery.theTemplatesChannelsAndCoupon')}</p>
      )}
      <ol className="template-needs">
        {props.template.needs.map((n) => {
          const options = [...(extra[n.kind] ?? []), ...n.options];
          return (
            <li key={needKey(n)} data-need={n.kind}>
              <span>{t('app:templateGallery.nodeNeedsALabel', { node: loc(n.node), label: loc(n.label) })}</span>
              {options.length > 0 && (
                <select
                  value={picks[needKey(n)] ?? ''}
                  onChange={(e) => setPicks({ ...picks, [needKey(n)]: e.target.value })}
                  data-testid="need-pick"
                >
                  <option value="">{t('app:templateGallery.chooseLater')}</option>
                  {options.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              )}
              {options.length === 0 && n.kind === 'core.channel' && (
                <a href="#/channels">{t('app:templateGallery.noChannelsYetCreateOne')}</a>
              )}
              {n.kind === 'coupons.stock' && (
                <NewStock
                  onCreated={(stock) => {
                    setExtra({ ...extra, [n.kind]: [stock, ...(extra[n.kind] ?? [])] });
                    setPicks({ ...picks, [needKey(n)]: stock.id });
                  }}
                />
              )}
              {options.length === 0 && !['core.channel', 'coupons.stock'].includes(n.kind) && (
                <span className="muted">{t('app:templateGallery.noLabelYetCreateOne', { label: loc(n.label) })}</span>
              )}
            </li>
          );
        })}
      </ol>
      {error && <p className="field-message">{error}</p>}
      <div className="actions">
        <button type="button" onClick={props.onCancel}>
          {t('app:templateGallery.cancel')}
        </button>
        <button type="button" className="primary" onClick={() => void create()} data-testid="create-from-template">
          {t('app:templateGallery.createJourney')}
        </button>
      </div>
    </div>
  );
}

/** A sandbox coupon stock in three fields (name, face value, quantity; valid 30 days from now). */
function NewStock({ onCreated }: { onCreated: (stock: { id: string; name: string }) => void }) {
  const { t } = useLocale();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [yuan, setYuan] = useState('5');
  const [count, setCount] = useState('1000');
  const [error, setError] = useState('');
  if (!open)
    return (
      <button type="button" className="link" onClick={() => setOpen(true)} data-testid="new-stock">
        {t('app:templateGallery.orCreateACouponStock')}
      </button>
    );
  const save = async () => {
    setError('');
    const amountCents = Math.round(Number(yuan) * 100);
    const maxCoupons = Number(count);
    if (!name.trim() || !(amountCents > 0) || !Number.isInteger(maxCoupons) || maxCoupons <= 0) {
      return setError(t('app:templateGallery.enterANameFaceValue'));
    }
    const now = Date.now();
    try {
      const stock = await api.coupons.createStock.mutate({
        id: `stock_${crypto.randomUUID().slice(0, 12)}`,
        name: name.trim(),
        maxCoupons,
        amountCents,
        validFrom: new Date(now),
        validTo: new Date(now + 30 * 86_400_000),
      });
      setOpen(false);
      onCreated({ id: stock.id, name: stock.name });
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <span className="new-stock" data-testid="new-stock-form">
      <input placeholder={t('app:templateGallery.name')} value={name} onChange={(e) => setName(e.target.value)} />
      <NumberInput label={t('app:templateGallery.faceValue')} value={yuan} onChange={setYuan} mode="decimal" size={5} />
      <NumberInput
        label={t('app:templateGallery.quantity')}
        value={count}
        onChange={setCount}
        mode="numeric"
        size={6}
      />
      <button type="button" onClick={() => void save()} data-testid="save-stock">
        {t('app:templateGallery.create')}
      </button>
      {error && <span className="field-message">{error}</span>}
    </span>
  );
}

function NumberInput(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  mode: 'decimal' | 'numeric';
  size: number;
}) {
  return (
    <input
      aria-label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      inputMode={props.mode}
      size={props.size}
    />
  );
}
