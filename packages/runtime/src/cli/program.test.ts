import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeRegistry } from '@siyu/shared';
import { samplePackage } from '@siyu/shared/testing';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleExecutorsOn } from '../../testing/sample-nodes.ts';
import type { NodesFor } from '../assembly/assemble.ts';
import { takeEngineLock } from '../assembly/engine-lock.ts';
import { openDatabase } from '../db/database.ts';
import { publishDraft } from '../journeys/publish.ts';
import { welcomeJourney } from '../trpc/harness.test-helper.ts';
import { runCli } from './program.ts';

const nodesFor: NodesFor = (db) => ({
  registry: createNodeRegistry([samplePackage]),
  serverPackages: [{ name: 'sample', executors: sampleExecutorsOn(db) }],
});

let dir: string;
let dbPath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'siyu-cli-'));
  dbPath = join(dir, 'cli.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(
    ['--db', dbPath, ...args],
    {
      out: (t) => {
        out += t;
      },
      err: (t) => {
        err += t;
      },
      progress: false,
    },
    nodesFor,
  );
  return { code, out, err };
}

describe('pnpm cli', () => {
  it('imports with exit codes: 1 when strict mode rejects, 0 when committed', async () => {
    const file = join(dir, 'customers.csv');
    writeFileSync(file, iconv.encode('手机号,姓名\n13800000001,张三\n123,坏\n13800000002,李四\n', 'gbk'));
    const strict = await cli('import', file);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('row 3:');
    const lenient = await cli('import', '--mode', 'skip-invalid', '--tag', '双11', file, '--json');
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.out)).toMatchObject({ status: 'committed', created: 2, rejected: 1, encoding: 'gbk' });
    expect((await cli('import', join(dir, 'missing.csv'))).code).toBe(2);
    expect((await cli('import', '--mode', 'nope', file)).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
    // A file that cannot be read at all: its problem on stderr, exit 1, no stack trace.
    const fake = join(dir, 'fake.xlsx');
    writeFileSync(fake, Buffer.concat([Buffer.from('504b0304', 'hex'), Buffer.from('not a zip at all')]));
    const unreadable = await cli('import', fake);
    expect(unreadable).toMatchObject({ code: 1, out: '' });
    expect(unreadable.err).toMatch(/not a valid Excel \.xlsx file/);

    // A CRM export whose phone header the guesser does not know imports once mapped.
    const crm = join(dir, 'crm.csv');
    writeFileSync(crm, iconv.encode('Tel (mobile),Member\n13800000003,M-3\n', 'gbk'));
    expect((await cli('import', crm)).code).toBe(1);
    const mapped = await cli('import', '--map', 'Tel (mobile)=phone', '--map', 'Member=externalId', crm, '--json');
    expect(mapped.code).toBe(0);
    expect(JSON.parse(mapped.out)).toMatchObject({ status: 'committed', created: 1 });
    // Saved once, the mapping is reused by name for the next export from that source.
    writeFileSync(crm, iconv.encode('Tel (mobile),Member\n13800000004,M-4\n', 'gbk'));
    const saved = await cli('import', '--map', 'Tel (mobile)=phone', '--save-preset', 'CRM 导出', crm, '--json');
    expect(saved.code).toBe(0);
    expect(saved.err).toContain('column mapping saved as "CRM 导出"');
    writeFileSync(crm, iconv.encode('Tel (mobile),Member\n13800000005,M-5\n', 'gbk'));
    expect(JSON.parse((await cli('import', '--preset', 'CRM 导出', crm, '--json')).out)).toMatchObject({ created: 1 });
    const missing = await cli('import', '--preset', 'Shop', crm);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('No column mapping named "Shop" (saved: CRM 导出)');
    const badMap = await cli('import', '--map', 'Tel (mobile)=mobile', crm);
    expect(badMap.code).toBe(2);
    expect(badMap.err).toContain('"mobile" is not a field');

    const exported = await cli('export', 'customers', '--tag', '双11');
    expect(exported.code).toBe(0);
    expect(exported.out.startsWith('\uFEFFid,phone,name,tags')).toBe(true);
    // Written for a spreadsheet: a cell starting with + = - @ is text there (a leading '), so the
    // phone shows as typed and a customer-made name like "=HYPERLINK(…)" never runs.
    expect(exported.out).toContain('"\'+8613800000002",李四,双11');
    const out = join(dir, 'all.csv');
    expect((await cli('export', 'customers', '--out', out)).code).toBe(0);
    // Header, the two from the first file and the three CRM ones.
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(6);
  });

  it('validates a file or a journey id, and enrolls customers', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ name: 'x', graph: welcomeJourney() }));
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        nodes: [{ id: 'e', type: 'sample.apiEntry', typeVersion: 1, config: {}, position: { x: 0, y: 0 } }],
        edges: [],
      }),
    );
    expect((await cli('validate', good)).code).toBe(0);
    const invalid = await cli('validate', bad);
    expect(invalid.code).toBe(1);
    expect(invalid.out).toMatch(/^e: /m);
    expect((await cli('validate', 'no-such-journey')).code).toBe(2);

    const db = await openDatabase(dbPath);
    await db.prisma.journey.create({ data: { id: 'j1', name: 'j1', draft: JSON.stringify(welcomeJourney()) } });
    for (const id of ['a', 'b']) await db.prisma.customer.create({ data: { id } });
    const notLive = await db.prisma.journey.findUniqueOrThrow({ where: { id: 'j1' } });
    expect(notLive.status).toBe('draft');
    await db.close();
    expect((await cli('validate', 'j1')).code).toBe(0);
    expect((await cli('enroll', 'j1', '--customer', 'a')).code).toBe(1); // not live yet

    const db2 = await openDatabase(dbPath);
    expect((await publishDraft(db2, nodesFor(db2, { now: Date.now }).registry, 'j1')).ok).toBe(true);
    await db2.close();
    const ids = join(dir, 'ids.txt');
    writeFileSync(ids, 'b\nunknown\n');
    const enrolled = await cli('enroll', 'j1', '--customer', 'a', '--file', ids);
    expect(enrolled.out).toContain('enrolled 2');
    expect(enrolled.code).toBe(1); // "unknown" is not a customer
    expect((await cli('enroll', 'j1')).code).toBe(2);
    const journey = await cli('export', 'journey', '--journey', 'j1');
    expect(JSON.parse(journey.out).graph.nodes).toHaveLength(4);
  });

  it('enroll leaves the queued sends to a server already running the engine on the file', async () => {
    const db = await openDatabase(dbPath);
    await db.prisma.journey.create({ data: { id: 'j1', name: 'j1', draft: JSON.stringify(welcomeJourney()) } });
    for (const id of ['a', 'b']) await db.prisma.customer.create({ data: { id } });
    expect((await publishDraft(db, nodesFor(db, { now: Date.now }).registry, 'j1')).ok).toBe(true);
    const effectsOf = (customerId: string) =>
      db.sqlite
        .prepare('SELECT o.status FROM OutboxEffect o JOIN Instance i ON i.id = o.instanceId WHERE i.customerId = ?')
        .all(customerId) as Array<{ status: string }>;

    const server = takeEngineLock(dbPath); // a server running the engine on this file
    const whileRunning = await cli('enroll', 'j1', '--customer', 'a');
    expect(whileRunning.out).toContain('enrolled 1');
    expect(whileRunning.err).toContain('the running server sends the queued messages');
    expect(effectsOf('a').length).toBeGreaterThan(0);
    expect(effectsOf('a').every((e) => e.status === 'pending')).toBe(true);
    server.release();

    expect((await cli('enroll', 'j1', '--customer', 'b')).out).toContain('enrolled 1');
    expect(effectsOf('b').length).toBeGreaterThan(0);
    expect(effectsOf('b').some((e) => e.status === 'pending')).toBe(false);
    await db.close();
  });

  it('callbacks: prints the callback URLs with the stored token; --rotate replaces it', async () => {
    const first = await cli('callbacks', '--public-url', 'https://brand.example.cn');
    expect(first.code).toBe(0);
    const token =
      /aliyun\treplies\thttps:\/\/brand\.example\.cn\/webhooks\/sms\/aliyun\/replies\?token=([\w-]{43})\n/.exec(
        first.out,
      )?.[1];
    expect(token).toBeDefined();
    expect(first.out).toContain('wecom\tevents\thttps://brand.example.cn/webhooks/wecom/callback\n');
    expect((await cli('callbacks', '--public-url', 'https://brand.example.cn')).out).toBe(first.out);
    const rotated = await cli('callbacks', '--rotate', '--public-url', 'https://brand.example.cn');
    expect(rotated.code).toBe(0);
    expect(rotated.err).toMatch(/replaced/);
    expect(rotated.out).not.toContain(token);
  });
});
