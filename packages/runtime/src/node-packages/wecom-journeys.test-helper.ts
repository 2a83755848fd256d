// What the WeCom end-to-end tests (wecom-services, wecom-phone-merge) share: the WeCom package's
// executors on a real engine over a scratch database, with its callback served on a local port.
import { wecomPackage } from '@siyu/nodes-wecom';
import { createWecomServerPackage, type WecomAppConfig } from '@siyu/nodes-wecom/server';
import { type FakeWecom, startFakeWecom } from '@siyu/nodes-wecom/testing';
import { ManualClock } from '../engine/api.ts';
import { createEngine } from '../engine/engine.ts';
import { createLogger } from '../logger.ts';
import { registryWith, scratchDatabase, serveWebhooks } from './provider-journeys.test-helper.ts';
import { createWecomServices } from './wecom-services.ts';

/**
 * With `mode: 'fake'` the services talk to a local WeCom API fake (started here, closed by
 * `cleanups`); with `'sandbox'` to none. `url` is the served callback (`…/webhooks/wecom/callback`).
 */
export async function wecomJourneys(
  prefix: string,
  cleanups: Array<() => Promise<void>>,
  mode: 'fake',
  onIngested?: Parameters<typeof serveWebhooks>[4],
): Promise<WecomJourneys<FakeWecom>>;
export async function wecomJourneys(
  prefix: string,
  cleanups: Array<() => Promise<void>>,
  mode: 'fake' | 'sandbox',
  onIngested?: Parameters<typeof serveWebhooks>[4],
): Promise<WecomJourneys<FakeWecom | undefined>>;
export async function wecomJourneys(
  prefix: string,
  cleanups: Array<() => Promise<void>>,
  mode: 'fake' | 'sandbox',
  onIngested?: Parameters<typeof serveWebhooks>[4],
) {
  const db = await scratchDatabase(prefix, cleanups);
  let fake: FakeWecom | undefined;
  if (mode === 'fake') {
    const started = await startFakeWecom();
    cleanups.push(() => started.close());
    fake = started;
  }
  const clock = new ManualClock(Date.now());
  const logger = createLogger('silent');
  const services = createWecomServices({ db, clock, logger, wecom: fake ? (fake.config as WecomAppConfig) : null });
  const pkg = createWecomServerPackage(services);
  const engine = createEngine({
    db,
    registry: registryWith(wecomPackage),
    executors: [...pkg.executors],
    clock,
    logger,
  });
  const url = `${await serveWebhooks([pkg], engine, logger, cleanups, onIngested)}/wecom/callback`;
  return { db, fake, clock, engine, pkg, services, url };
}

type WecomJourneys<F> = {
  db: Awaited<ReturnType<typeof scratchDatabase>>;
  fake: F;
  clock: ManualClock;
  engine: ReturnType<typeof createEngine>;
  pkg: ReturnType<typeof createWecomServerPackage>;
  services: ReturnType<typeof createWecomServices>;
  url: string;
};
