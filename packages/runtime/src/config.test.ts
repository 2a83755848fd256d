import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, selectedDatabase } from './config.ts';

describe('loadConfig', () => {
  it('defaults to the embedded set-up', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_PATH).toMatch(/\.data[/\\]siyu\.db$/);
    expect(config.LOAD_EXAMPLES).toBe(true);
  });

  it('selects PostgreSQL when DATABASE_URL is set, else the SQLite file; a bad URL is named without its password', () => {
    expect(selectedDatabase(loadConfig({}))).toMatchObject({ provider: 'sqlite' });
    const url = 'postgresql://siyu:pw@db.internal:5432/siyu';
    expect(selectedDatabase(loadConfig({ DATABASE_URL: url, DATABASE_PATH: '/x.db' }))).toEqual({
      provider: 'postgresql',
      url,
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://siyu:pw@db/siyu' })).toThrow(
      'DATABASE_URL=(hidden): must be a postgresql:// URL',
    );
  });

  it('names every bad variable with its value and what is wrong', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', ADMIN_PASSWORD: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('PORT="eighty"');
    expect(problems).toContain('LOG_LEVEL="loud"');
    // A password is a secret: the message names the variable, not its value.
    expect(problems).toContain('ADMIN_PASSWORD=(hidden): must be at least 8 characters');
  });

  it('reads TRUST_PROXY as express takes it: true, a hop count or proxy addresses', () => {
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
    expect(() => loadConfig({ TRUST_PROXY: '<script>' })).toThrow(/TRUST_PROXY="<script>"/);
    expect(loadConfig({}).RATE_LIMIT_WEBHOOKS_PER_MINUTE).toBe(3000);
    expect(() => loadConfig({ RATE_LIMIT_LINKS_PER_MINUTE: '0' })).toThrow(/RATE_LIMIT_LINKS_PER_MINUTE/);
  });

  it('reads SIYU_ROLE (all by default), the metrics token as a secret, and the ready and shutdown limits', () => {
    const defaults = loadConfig({});
    expect(defaults).toMatchObject({ SIYU_ROLE: 'all', READY_MAX_LAG_MS: 60_000, SHUTDOWN_TIMEOUT_MS: 20_000 });
    expect(defaults.METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ SIYU_ROLE: 'web' }).SIYU_ROLE).toBe('web');
    expect(() => loadConfig({ SIYU_ROLE: 'scheduler' })).toThrow(/SIYU_ROLE="scheduler"/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(
      'METRICS_TOKEN=(hidden): must be at least 16 characters',
    );
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '-1' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });

  it('reads the heap cap the start scripts pass to node (1024 MB by default), and refuses one too small to run in', () => {
    expect(loadConfig({}).SIYU_HEAP_MB).toBe(1024);
    expect(loadConfig({ SIYU_HEAP_MB: '2048' }).SIYU_HEAP_MB).toBe(2048);
    expect(() => loadConfig({ SIYU_HEAP_MB: '64' })).toThrow(/SIYU_HEAP_MB="64": must be at least 256/);
    expect(() => loadConfig({ SIYU_HEAP_MB: 'lots' })).toThrow(/SIYU_HEAP_MB="lots"/);
  });

  it('refuses a worker without PUBLIC_URL: the links its messages carry must point at the web processes', () => {
    expect(() => loadConfig({ SIYU_ROLE: 'worker' })).toThrow(/PUBLIC_URL: must be set when SIYU_ROLE=worker/);
    expect(loadConfig({ SIYU_ROLE: 'worker', PUBLIC_URL: 'https://journeys.example.com' }).SIYU_ROLE).toBe('worker');
  });
});
