import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphOf, publishJourneyOn } from '../../../testing/fixtures.ts';
import type { AppDatabase } from '../../db/app-database.ts';
import { createHarness, type Harness, type HarnessBackend, welcomeJourney } from '../harness.test-helper.ts';

let h: Harness<AppDatabase>;
// Every case on SQLite and on a fresh PostgreSQL database.
const BACKENDS = ['sqlite', 'postgresql'] as const satisfies readonly HarnessBackend[];
afterEach(async () => {
  await h.close();
});

describe.each(BACKENDS)('on %s', (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
  });

  describe('nodes.list', () => {
    it('lists packages with their node types and versions, and the types live journeys use that nobody installed', async () => {
      const viewer = h.as('viewer');
      const op = h.as('operator');
      const welcome = await op.journeys.create({ name: '欢迎', graph: welcomeJourney() });
      await op.journeys.publish({ id: welcome.id });
      // A journey published while a package was installed that this server no longer has.
      await publishJourneyOn(
        h.db,
        'lucky',
        graphOf(
          [
            ['start', 'sample.apiEntry', {}],
            ['draw', 'lottery.draw', { prize: '券' }],
          ],
          [['start', 'next', 'draw']],
        ),
      );

      const listed = await viewer.nodes.list();
      expect(listed.packages.map((p) => p.name)).toEqual(['sample']);
      expect(listed.packages[0]?.nodes.find((n) => n.type === 'sample.send')).toMatchObject({
        version: 1,
        category: 'message',
        label: { 'zh-CN': '发送消息', en: 'Send message' },
        effect: true,
        entry: false,
        migrations: [],
      });
      expect(listed.missing).toEqual([
        {
          type: 'lottery.draw',
          package: 'lottery',
          journeys: [{ journeyId: 'lucky', name: 'lucky', version: 1, paused: false }],
        },
      ]);
    });
  });
});
