import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, InputNumber, Spin, Table } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { registry } from '../app/registry.ts';
import { useIsAdmin } from '../app/use-role.ts';
import { channelName } from '../pages/channel-name.ts';
import { budgetState, type DryRunResult, type Forecast, isBusy, overBudget, smsCost } from './dry-run-figures.ts';

/** Sampled customers and simulated days of the dry run (the server's defaults, said on screen). */
const SAMPLE = 200;
const HORIZON_DAYS = 30;

/**
 * Before publishing: who would enter now (from the real entry: segment members, or the recent rate
 * of the entry's events) and what the draft would send them, from running it over a sample of real
 * customers in a scratch database (runs.dryRun; nothing is sent). SMS cost is billed parts × the
 * workspace's price per part, which an admin can change here (settings.update).
 */
export function DryRunPanel(props: { journeyId: string; saveDraft: () => Promise<void> }) {
  const { t } = useLocale();
  const dryRun = useMutation(trpc.runs.dryRun.mutationOptions());
  const run = async () => {
    // The server runs the stored draft: the edits still being typed are saved first.
    await props.saveDraft();
    dryRun.mutate({ journeyId: props.journeyId, sampleSize: SAMPLE, horizonDays: HORIZON_DAYS });
  };
  // Once when the dialog opens (the ref holds under StrictMode's second effect run: two dry runs
  // at once would have the server refuse the second as busy).
  const started = useRef(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once, when the dialog opens
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void run().catch(() => undefined);
  }, []);
  return (
    <fieldset className="group dry-run" data-testid="dry-run">
      <legend>{t('dryRun:panel.title')}</legend>
      {dryRun.isPending && (
        <div className="muted" data-testid="dry-run-loading">
          <Spin size="small" /> {t('dryRun:panel.running', { sample: SAMPLE, days: HORIZON_DAYS })}
        </div>
      )}
      {dryRun.isError && (
        <Alert
          type={isBusy(dryRun.error) ? 'info' : 'error'}
          data-testid="dry-run-error"
          title={isBusy(dryRun.error) ? t('dryRun:panel.busy') : t('dryRun:panel.failed')}
          description={isBusy(dryRun.error) ? undefined : errorText(dryRun.error)}
          action={
            <Button size="small" onClick={() => void run()}>
              {t('dryRun:panel.tryAgain')}
            </Button>
          }
        />
      )}
      {dryRun.data && <DryRunFigures result={dryRun.data} onRerun={() => void run()} />}
    </fieldset>
  );
}

function DryRunFigures({ result, onRerun }: { result: DryRunResult; onRerun: () => void }) {
  const { t, locale } = useLocale();
  const { sample, forecast } = result;
  return (
    <div data-testid="dry-run-result">
      <ul className="plain" data-testid="dry-run-entries">
        {result.entries.map((entry) => (
          <li key={entry.nodeId}>
            {entry.kind === 'audience'
              ? entry.nextRunAt !== null
                ? t('dryRun:entry.audienceAtRun', {
                    count: entry.membersNow,
                    at: new Date(entry.nextRunAt).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' }),
                  })
                : t('dryRun:entry.audience', { count: entry.membersNow })
              : entry.kind === 'event'
                ? t('dryRun:entry.event', { count: round(entry.perDay), customers: entry.customers, days: entry.days })
                : t('dryRun:entry.api')}
          </li>
        ))}
      </ul>
      <p className="muted" data-testid="dry-run-sample">
        {t('dryRun:sample.summary', { count: sample.drawn, enrolled: sample.enrolled, days: sample.horizonDays })}
        {sample.stillActive > 0 && ` ${t('dryRun:sample.stillActive', { count: sample.stillActive })}`}
      </p>
      {forecast ? <ForecastTables forecast={forecast} /> : <p className="muted">{t('dryRun:forecast.none')}</p>}
      <Button size="small" onClick={onRerun} data-testid="dry-run-again">
        {t('dryRun:panel.runAgain')}
      </Button>
    </div>
  );
}

function ForecastTables({ forecast }: { forecast: Forecast }) {
  const { t, locale } = useLocale();
  const settings = useQuery(trpc.settings.get.queryOptions());
  const price = settings.data?.smsPricePerPartYuan;
  const perDay = forecast.basis === 'perDay';
  const messages = Object.entries(forecast.messages).map(([channel, count]) => ({ channel, count }));
  return (
    <div data-testid="dry-run-forecast">
      <p data-testid="dry-run-customers">
        <strong>
          {perDay
            ? t('dryRun:forecast.customersPerDay', { count: round(forecast.customers) })
            : t('dryRun:forecast.customersNow', { count: round(forecast.customers) })}
        </strong>
      </p>
      <Table
        size="small"
        pagination={false}
        rowKey="channel"
        data-testid="dry-run-messages"
        dataSource={messages}
        locale={{ emptyText: t('dryRun:forecast.noMessages') }}
        columns={[
          {
            title: t('dryRun:forecast.channel'),
            dataIndex: 'channel',
            render: (c: string) => channelName(c, locale, registry.packages),
          },
          {
            title: perDay ? t('dryRun:forecast.messagesPerDay') : t('dryRun:forecast.messages'),
            dataIndex: 'count',
            align: 'right',
            render: (n: number) => <span data-channel-count>{round(n)}</span>,
          },
        ]}
      />
      {forecast.smsParts > 0 && (
        <p data-testid="dry-run-sms-cost">
          {price === undefined
            ? t('dryRun:sms.loadingPrice')
            : t('dryRun:sms.cost', {
                parts: round(forecast.smsParts),
                price: price.toLocaleString(locale, { maximumFractionDigits: 4 }),
                cost: smsCost(forecast, price).toLocaleString(locale, { minimumFractionDigits: 2 }),
              })}
        </p>
      )}
      <SmsPriceSetting price={price} />
      {forecast.coupons.length > 0 && (
        <Table
          size="small"
          pagination={false}
          rowKey="stockId"
          data-testid="dry-run-coupons"
          dataSource={forecast.coupons}
          columns={[
            { title: t('dryRun:coupons.batch'), dataIndex: 'name' },
            {
              title: perDay ? t('dryRun:coupons.issuedPerDay') : t('dryRun:coupons.issued'),
              dataIndex: 'issued',
              align: 'right',
              render: (n: number) => round(n),
            },
            { title: t('dryRun:coupons.left'), dataIndex: 'left', align: 'right' },
            {
              title: t('dryRun:coupons.budget'),
              key: 'budget',
              render: (_: unknown, c: Forecast['coupons'][number]) => {
                const state = budgetState(c);
                if (state === 'within') return t('dryRun:coupons.within');
                return (
                  <span className="warn" data-testid="dry-run-over-budget">
                    {state === 'over'
                      ? t('dryRun:coupons.over', { count: overBudget(c) })
                      : t('dryRun:coupons.usesUp', { count: c.left })}
                  </span>
                );
              },
            },
          ]}
        />
      )}
    </div>
  );
}

/** The price per billed SMS part: shown to everyone, changed by an admin (it prices every dry run). */
function SmsPriceSetting({ price }: { price: number | undefined }) {
  const { t } = useLocale();
  const isAdmin = useIsAdmin() === true;
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<number | null>(null);
  const update = useMutation(
    trpc.settings.update.mutationOptions({
      onSuccess: (saved) => {
        queryClient.setQueryData(trpc.settings.get.queryKey(), saved);
        setEditing(null);
      },
    }),
  );
  if (price === undefined || !isAdmin) return null;
  if (editing === null) {
    return (
      <p className="muted">
        <Button type="link" size="small" onClick={() => setEditing(price)} data-testid="sms-price-edit">
          {t('dryRun:sms.changePrice')}
        </Button>
      </p>
    );
  }
  return (
    <div className="inline-form" data-testid="sms-price-form">
      <span className="field-label">{t('dryRun:sms.pricePerPart')}</span>
      <InputNumber
        aria-label={t('dryRun:sms.pricePerPart')}
        min={0}
        max={10}
        step={0.005}
        value={editing}
        onChange={(v) => setEditing(typeof v === 'number' ? v : 0)}
        data-testid="sms-price-input"
      />
      <Button
        type="primary"
        size="small"
        loading={update.isPending}
        onClick={() => update.mutate({ smsPricePerPartYuan: editing })}
        data-testid="sms-price-save"
      >
        {t('dryRun:sms.save')}
      </Button>
      <Button size="small" onClick={() => setEditing(null)} disabled={update.isPending}>
        {t('dryRun:sms.cancel')}
      </Button>
      {update.isError && <span className="field-message">{errorText(update.error)}</span>}
    </div>
  );
}

/** A forecast figure on screen: whole numbers as they are, others to one decimal. */
function round(n: number): number {
  return Math.round(n * 10) / 10;
}
