// A customer adds a staff member the directory has never seen (a new store assistant): the
// contact-added callback, once ingested, has the directory sync, so screens name her at once
// instead of showing her userid until the next 6-hourly refresh. Real callback, fake WeCom.
import { WecomClient } from '@siyu/nodes-wecom/server';
import { contactAddedXml } from '@siyu/nodes-wecom/testing';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach } from './provider-journeys.test-helper.ts';
import { wecomJourneys } from './wecom-journeys.test-helper.ts';
import { createStaffDirectory, type StaffDirectory, staffUserIdsIn } from './wecom-staff-directory.ts';

const cleanups = cleanupAfterEach();

describe('the staff directory learns of staff from WeCom callbacks', () => {
  it('names a staff member once their first customer adds them; later customers cost no roster call', async () => {
    let directory: StaffDirectory | undefined;
    const { db, fake, clock, url } = await wecomJourneys('wecom-staff', cleanups, 'fake', (events) =>
      (directory as StaffDirectory).noticeUserIds(staffUserIdsIn(events)),
    );
    directory = createStaffDirectory({ db, clock, client: new WecomClient(fake.config) });
    fake.addStaff('zhangsan', '张三');
    await directory.sync();
    const rosterCalls = () => fake.calls('externalcontact/get_follow_user_list').length;
    const addedBy = async (userId: string, externalUserId: string) => {
      fake.addContact(externalUserId, '陈女士');
      const xml = contactAddedXml({
        corpId: fake.config.corpId,
        userId,
        externalUserId,
        createTime: Math.floor(clock.now() / 1000),
      });
      const { query, body } = fake.callback(xml);
      const res = await fetch(`${url}?${new URLSearchParams(query)}`, { method: 'POST', body });
      expect(res.status).toBe(200);
    };
    const nameOf = async (userId: string) =>
      (await (directory as StaffDirectory).list()).find((m) => m.userId === userId)?.name;

    fake.addStaff('xiaomei', '小美');
    await addedBy('xiaomei', 'wmNEW1');
    await expect.poll(() => nameOf('xiaomei')).toBe('小美');
    expect(rosterCalls()).toBe(2);
    await addedBy('xiaomei', 'wmNEW2');
    await addedBy('zhangsan', 'wmNEW3');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rosterCalls()).toBe(2);
  });
});
