// createHarness on both backends: the same router calls and engine work on SQLite and on a fresh
// PostgreSQL database, so router tests can be run on both (describe.each over the backend).
import { afterEach, describe, expect, it } from 'vitest';
import { publishJourney } from '../../testing/fixtures.ts';
import { publishJourneyPg } from '../../testing/postgres-fixtures.ts';
import type { AppDatabase } from '../db/app-database.ts';
import {
  addCustomer,
  createHarness,
  type Harness,
  type HarnessBackend,
  welcomeJourney,
} from './harness.test-helper.ts';

const DAY = 86_400_000;
let h: Harness<AppDatabase> | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[])(
  'createHarness on %s',
  (backend) => {
    it('serves routers and runs the engine (a message, a one-day wait, the end) on its database', async () => {
      h = await createHarness({ backend });
      expect(h.db.dialect).toBe(backend);
      const db = h.db;
      if (db.dialect === 'sqlite') publishJourney(db.sqlite, 'welcome', welcomeJourney());
      else await publishJourneyPg(db.pool, 'welcome', welcomeJourney());
      await addCustomer(h, 'c1', { phone: '+8613800000001' });
      const journey = await h.as('viewer').journeys.get({ id: 'welcome' });
      expect(journey).toMatchObject({ id: 'welcome', status: 'live' });

      const enrolled = await h.engine.enroll('welcome', 'c1');
      expect(enrolled.status).toBe('enrolled');
      await h.engine.tick();
      h.clock.advance(DAY);
      await h.engine.tick();
      expect(await db.sql.all('SELECT customerId, channel FROM Message')).toEqual([
        { customerId: 'c1', channel: 'wecom' },
      ]);
      expect(await db.sql.all("SELECT status FROM Instance WHERE journeyId = 'welcome'")).toEqual([
        { status: 'exited' },
      ]);
    });
  },
);
