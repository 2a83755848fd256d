// The template gallery, apart from the operator's journeys. A template names the playbook's own
// channel and coupon stocks, which this workspace does not have; "use this template" walks through
// each of them (pick one of yours, or create a coupon stock on the spot) before the copy is made,
// so the new journey does not start with references that fail when the first customer arrives.

import { type Locale, localize } from '@siyu/shared';
import { Button, Card, Form, Input, InputNumber, Modal, Select, Space, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useState } from 'react';
import { useLocale } from './i18n.ts';
import { useErrorText } from './kit/query.ts';
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

/**
 * The template's name and description in the operator's language: an example's from the catalogs
 * (examples/<folder> → app:exampleTemplateNames.<folder>), else as stored.
 */
function templateWords(template: Template, t: TFunction): { name: string; description: string } {
  return {
    name: t(`app:exampleTemplateNames.${template.example}`, { defaultValue: template.name }),
    description: t(`app:exampleTemplateDescriptions.${template.example}`, { defaultValue: template.description }),
  };
}

type TemplateWords = ReturnType<typeof templateWords>;

function TemplateCard({ template, words, onUse }: { template: Template; words: TemplateWords; onUse: () => void }) {
  const { t, locale } = useLocale();
  return (
    <div data-template={template.name}>
      <Card
        size="small"
        title={words.name}
        actions={[
          <Button key="use" type="primary" data-testid="use-template" onClick={onUse}>
            {t('app:templateGallery.useThisTemplate')}
          </Button>,
        ]}
      >
        <Typography.Paragraph type="secondary">{words.description}</Typography.Paragraph>
        <Typography.Paragraph data-testid="template-needs">
          {template.needs.length
            ? `${t('app:templateGallery.needs')}${needsSummary(template.needs, locale)}`
            : t('app:templateGallery.nothingToPrepare')}
        </Typography.Paragraph>
      </Card>
    </div>
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
      <Typography.Title level={4}>{t('app:templateGallery.templates')}</Typography.Title>
      <div className="template-cards">
        {templates
          // In the order of the names shown (the server sorts by the stored, Chinese ones).
          .map((template) => ({ template, words: templateWords(template, t) }))
          .sort((a, b) => a.words.name.localeCompare(b.words.name, locale))
          .map(({ template, words }) => (
            <TemplateCard key={template.id} template={template} words={words} onUse={() => setUsing(template)} />
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
  const words = templateWords(props.template, t);
  const [name, setName] = useState(words.name);
  const [picks, setPicks] = useState<Record<string, string>>({});
  // Stocks created here join every coupon step's options (one stock may serve several steps).
  const [extra, setExtra] = useState<Record<string, Array<{ id: string; name: string }>>>({});
  const [error, setError] = useErrorText();
  const [creating, setCreating] = useState(false);
  const create = async () => {
    setError('');
    setCreating(true);
    try {
      const chosen = props.template.needs
        .filter((n) => picks[needKey(n)])
        .map((n) => ({ nodeId: n.nodeId, path: n.path, id: picks[needKey(n)] as string }));
      props.onCreated(
        await api.journeys.fromTemplate.mutate({
          id: props.template.id,
          name,
          description: words.description,
          picks: chosen,
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setCreating(false);
    }
  };
  return (
    <Modal
      open
      width={640}
      title={t('app:templateGallery.newJourneyFromName', { name: words.name })}
      onCancel={props.onCancel}
      // The test id spans the whole dialog, its buttons included.
      modalRender={(dialog) => <div data-testid="template-walkthrough">{dialog}</div>}
      footer={[
        <Button key="cancel" onClick={props.onCancel}>
          {t('app:templateGallery.cancel')}
        </Button>,
        <Button
          key="create"
          type="primary"
          loading={creating}
          onClick={() => void create()}
          data-testid="create-from-template"
        >
          {t('app:templateGallery.createJourney')}
        </Button>,
      ]}
    >
      {/* A div, not a form: the coupon stock's own little form sits inside. */}
      <Form layout="vertical" component="div">
        <Form.Item label={t('app:templateGallery.journeyName')}>
          <Input value={name} onChange={(e) => setName(e.target.value)} data-testid="template-journey-name" />
        </Form.Item>
        {props.template.needs.length > 0 && (
          <Typography.Paragraph type="secondary">
            {t('app:templateGallery.theTemplatesChannelsAndCoupon')}
          </Typography.Paragraph>
        )}
        {props.template.needs.map((n) => {
          const options = [...(extra[n.kind] ?? []), ...n.options];
          return (
            <div key={needKey(n)} data-need={n.kind}>
              <Form.Item label={t('app:templateGallery.nodeNeedsALabel', { node: loc(n.node), label: loc(n.label) })}>
                <Space wrap>
                  {options.length > 0 && (
                    <Select
                      className="need-pick"
                      value={picks[needKey(n)] ?? ''}
                      onChange={(id: string) => setPicks({ ...picks, [needKey(n)]: id })}
                      data-testid="need-pick"
                      options={[
                        { value: '', label: t('app:templateGallery.chooseLater') },
                        ...options.map((o) => ({ value: o.id, label: o.name })),
                      ]}
                    />
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
                    <Typography.Text type="secondary">
                      {t('app:templateGallery.noLabelYetCreateOne', { label: loc(n.label) })}
                    </Typography.Text>
                  )}
                </Space>
              </Form.Item>
            </div>
          );
        })}
      </Form>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </Modal>
  );
}

/** A sandbox coupon stock in three fields (name, face value, quantity; valid 30 days from now). */
function NewStock({ onCreated }: { onCreated: (stock: { id: string; name: string }) => void }) {
  const { t } = useLocale();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [yuan, setYuan] = useState<number | null>(5);
  const [count, setCount] = useState<number | null>(1000);
  const [error, setError] = useErrorText();
  const [saving, setSaving] = useState(false);
  if (!open)
    return (
      <Button type="link" onClick={() => setOpen(true)} data-testid="new-stock">
        {t('app:templateGallery.orCreateACouponStock')}
      </Button>
    );
  const save = async () => {
    setError('');
    const amountCents = Math.round(Number(yuan) * 100);
    const maxCoupons = Number(count);
    if (!name.trim() || !(amountCents > 0) || !Number.isInteger(maxCoupons) || maxCoupons <= 0) {
      return setError((t: TFunction) => t('app:templateGallery.enterANameFaceValue'));
    }
    const now = Date.now();
    setSaving(true);
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
      setError(e);
    } finally {
      setSaving(false);
    }
  };
  return (
    <div data-testid="new-stock-form">
      <Form layout="inline" onFinish={() => void save()}>
        <Form.Item label={t('app:templateGallery.name')}>
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Form.Item>
        <Form.Item label={t('app:templateGallery.faceValue')}>
          <InputNumber value={yuan} onChange={setYuan} min={0.01} precision={2} />
        </Form.Item>
        <Form.Item label={t('app:templateGallery.quantity')}>
          <InputNumber value={count} onChange={setCount} min={1} precision={0} />
        </Form.Item>
        <Form.Item>
          <Button htmlType="submit" loading={saving} data-testid="save-stock">
            {t('app:templateGallery.create')}
          </Button>
        </Form.Item>
      </Form>
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </div>
  );
}
