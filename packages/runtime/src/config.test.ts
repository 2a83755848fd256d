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
});
