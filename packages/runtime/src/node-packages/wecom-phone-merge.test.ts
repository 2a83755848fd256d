import { contactAddedXml, contactEditedXml } from '@siyu/nodes-wecom/testing';
import { describe, expect, it } from 'vitest';
import { graphOf, publishJourney } from '../../testing/fixtures.ts';
import { importCustomers } from '../import/import-customers.ts';
import { allRows, cleanupAfterEach, oneRow } from './provider-journeys.test-helper.ts';
import { wecomJourneys } from './wecom-journeys.test-helper.ts';

const cleanups = cleanupAfterEach();

const journey = graphOf(
  [
    ['entry', 'sample.eventEntry', { event: 'wecom.contactAdded' }],
    ['tags', 'wecom.markTags', { groupName: '旅程', add: ['新客'] }],
    ['done', 'sample.end', {}],
    ['failed', 'sample.end', {}],
  ],
  [
    ['entry', 'next', 'tags'],
    ['tags', 'next', 'done'],
    ['tags', 'failed', 'failed'],
  ],
  { quietHours: { enabled: false } },
);

async function setup() {
  const { db, fake, clock, engine, url } = await wecomJourneys('wecom-phone', cleanups, 'fake');
  const post = async (xml: string) => {
    const { query, body } = fake.callback(xml);
    const res = await fetch(`${url}?${new URLSearchParams(query)}`, { method: 'POST', body });
    expect(await res.text()).toBe('success');
  };
  const importCsv = (csv: string) =>
    importCustomers(db, new TextEncoder().encode(csv), { fileName: 'crm.csv', mode: 'strict', now: () => clock.now() });
  return { db, fake, clock, engine, post, importCsv };
}

const identitiesOf = (db: Parameters<typeof allRows>[0], customerId: unknown) =>
  allRows(db, 'SELECT kind, value FROM CustomerIdentity WHERE customerId = ? ORDER BY kind', customerId);

describe('WeCom contact details: a phone noted by staff joins the customer who has it', () => {
  it('a contact whose phone becomes known later merges into the imported customer, runs and tags kept', async () => {
    const { db, fake, clock, engine, post, importCsv } = await setup();
    publishJourney(db.sqlite, 'j1', journey);
    expect(await importCsv('phone,name,tags\n13711112222,王芳,VIP\n')).toMatchObject({ created: 1 });
    const imported = oneRow(db, 'SELECT id FROM Customer').id;
    clock.advance(60_000);

    // The customer adds a staff member; nobody has noted a phone yet: a second customer for now.
    fake.addContact('wmNEW', '芳芳');
    const at = () => Math.floor(clock.now() / 1000);
    await post(
      contactAddedXml({ corpId: fake.config.corpId, userId: 'zhangsan', externalUserId: 'wmNEW', createTime: at() }),
    );
    await engine.tick();
    expect(oneRow(db, 'SELECT count(*) AS n FROM Customer').n).toBe(2);

    // The staff member notes her phone (as typed in the WeCom client): WeCom calls back "edit".
    clock.advance(60_000);
    fake.addContact('wmNEW', '芳芳', { zhangsan: ['137 1111 2222'] });
    await post(
      contactEditedXml({ corpId: fake.config.corpId, userId: 'zhangsan', externalUserId: 'wmNEW', createTime: at() }),
    );

    expect(allRows(db, 'SELECT id, displayName FROM Customer')).toEqual([{ id: imported, displayName: '王芳' }]);
    expect(identitiesOf(db, imported)).toEqual([
      { kind: 'phone', value: '+8613711112222' },
      { kind: 'wecomExternalUserId', value: 'wmNEW' },
    ]);
    expect(allRows(db, 'SELECT tag FROM CustomerTag WHERE customerId = ? ORDER BY tag', imported)).toEqual([
      { tag: 'VIP' },
      { tag: '新客' },
    ]);
    expect(allRows(db, 'SELECT customerId, status FROM Instance')).toEqual([
      { customerId: imported, status: 'completed' },
    ]);
    expect(allRows(db, 'SELECT DISTINCT customerId FROM Event')).toEqual([{ customerId: imported }]);
    expect(oneRow(db, 'SELECT customerId, reason FROM CustomerMerge')).toEqual({
      customerId: imported,
      reason: 'identities',
    });
  });

  it('a contact added with a noted phone becomes the customer who has that phone, not a new one', async () => {
    const { db, fake, clock, post, importCsv } = await setup();
    await importCsv('phone,name\n+86 139 0000 0001,李四\n');
    const imported = oneRow(db, 'SELECT id FROM Customer').id;
    // Another staff member's remark is not a number; zhangsan's is.
    fake.addContact('wmLI', '小李', { lisi: ['打过电话'], zhangsan: ['13900000001'] });
    await post(
      contactAddedXml({
        corpId: fake.config.corpId,
        userId: 'zhangsan',
        externalUserId: 'wmLI',
        createTime: Math.floor(clock.now() / 1000),
      }),
    );
    expect(oneRow(db, 'SELECT count(*) AS n FROM Customer').n).toBe(1);
    expect(identitiesOf(db, imported)).toEqual([
      { kind: 'phone', value: '+8613900000001' },
      { kind: 'wecomExternalUserId', value: 'wmLI' },
    ]);
    expect(oneRow(db, "SELECT customerId FROM Event WHERE type = 'wecom.contactAdded'").customerId).toBe(imported);
  });
});
