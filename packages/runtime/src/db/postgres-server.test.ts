import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { findPostgresServer, redactPassword } from './postgres-server.ts';

describe('findPostgresServer', () => {
  it('starts an embedded PostgreSQL from npm when asked (the path a machine without a service takes)', async () => {
    // Forced, so the fallback is exercised on machines that do run a service (once per suite).
    const started = performance.now();
    const server = await findPostgresServer({ SIYU_TEST_POSTGRES: 'embedded' });
    const startedInMs = performance.now() - started;
    try {
      expect(server.source).toBe('embedded');
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string; sum: number }>(
          'SELECT version() AS version, (SELECT sum(x)::int FROM generate_series(1, 10) AS x) AS sum',
        );
        expect(rows[0]?.version).toMatch(/^PostgreSQL 1[5-9]/);
        expect(rows[0]?.sum).toBe(55);
      } finally {
        await client.end();
      }
      console.log(`embedded PostgreSQL ready in ${Math.round(startedInMs)} ms`);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('a configured URL where nothing answers is an error, not a fallback', async () => {
    await expect(
      findPostgresServer({ TEST_DATABASE_URL: 'postgresql://postgres:secret@127.0.0.1:1/none' }),
    ).rejects.toThrow(
      'TEST_DATABASE_URL is set but no PostgreSQL answers there (postgresql://postgres:***@127.0.0.1:1/none)',
    );
  });

  it('redacts passwords in URLs it prints', () => {
    expect(redactPassword('postgresql://u:p@h:5/db')).toBe('postgresql://u:***@h:5/db');
    expect(redactPassword('postgresql://u@h/db')).toBe('postgresql://u@h/db');
  });
});
