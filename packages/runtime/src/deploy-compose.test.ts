// deploy/compose.yaml against the real start-up options: every variable it sets is one the config
// accepts, with a value it accepts; roles match the package scripts the services run; health checks
// ask /health or /ready on the port the process listens on; nginx fronts exactly the web services.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigSchema, loadConfig, SIYU_ROLES } from './config.ts';

const REPO = join(import.meta.dirname, '..', '..', '..');
const DEPLOY = join(REPO, 'deploy');
const compose = parse(readFileSync(join(DEPLOY, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const runtimeScripts = (
  JSON.parse(readFileSync(join(REPO, 'packages', 'runtime', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  deploy?: { replicas?: number };
  stop_grace_period?: string;
}

/** What an operator passes for the `${VAR:?…}` the file requires (compose refuses to start without them). */
const REQUIRED = {
  POSTGRES_PASSWORD: 'pg-password',
  CREDENTIALS_KEY: Buffer.alloc(32, 7).toString('base64'),
  METRICS_TOKEN: 'f'.repeat(48),
  ADMIN_PASSWORD: 'a-long-admin-password',
};

/** Compose's interpolation: `${VAR:?message}` (required) and `${VAR:-default}`. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_all, name: string, kind?: string, rest?: string) => {
    if (kind === '-') return rest ?? '';
    const given = REQUIRED[name as keyof typeof REQUIRED];
    if (given === undefined) throw new Error(`\${${name}} has neither a default nor a sample value in this test`);
    return given;
  });
}

const appServices = Object.entries(compose.services).filter(([, s]) => s.command?.[0] === 'pnpm');
const roleOf = (s: Service) => s.environment?.SIYU_ROLE;
const replicas = (s: Service) => s.deploy?.replicas ?? 1;

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL, 2 web and 3 worker processes', () => {
    expect(compose.services.postgres?.image).toMatch(/^postgres:\d+/);
    const count = (role: string) =>
      appServices.filter(([, s]) => roleOf(s) === role).reduce((n, [, s]) => n + replicas(s), 0);
    expect(count('web')).toBe(2);
    expect(count('worker')).toBe(3);
  });

  it('sets only variables the config accepts, each with a value it accepts', () => {
    const known = new Set(Object.keys(ConfigSchema.shape));
    for (const [name, service] of appServices) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]),
      );
      expect(
        Object.keys(env).filter((key) => !known.has(key)),
        name,
      ).toEqual([]);
      const config = loadConfig(env);
      expect(SIYU_ROLES, name).toContain(config.SIYU_ROLE);
      expect(config.DATABASE_URL, name).toMatch(/^postgresql:\/\//);
      expect(config.HOST, name).toBe('0.0.0.0');
      // Compose's SIGKILL must not come before the process's own shutdown deadline.
      expect(Number.parseInt(service.stop_grace_period ?? '10s', 10) * 1000, name).toBeGreaterThan(
        config.SHUTDOWN_TIMEOUT_MS,
      );
    }
  });

  it('runs each role through the package script of that role', () => {
    for (const [name, service] of appServices) {
      const [pnpm, filter, pkg, script] = service.command ?? [];
      expect([pnpm, filter, pkg], name).toEqual(['pnpm', '--filter', '@siyu/runtime']);
      expect(runtimeScripts[script ?? ''], name).toBeDefined();
      expect(script, name).toBe(`start:${roleOf(service)}`);
      expect(runtimeScripts[script ?? ''], name).toContain(`SIYU_ROLE=${roleOf(service)}`);
      // `exec`: the shell pnpm starts must not stand between SIGTERM and the server (measured: without
      // it pnpm exits and the server is orphaned, still running, never shut down gracefully).
      expect(runtimeScripts[script ?? ''], name).toMatch(/\bexec tsx /);
    }
  });

  it('checks health on /ready (web) or /health (worker), on the port the process listens on', () => {
    for (const [name, service] of appServices) {
      const check = (service.healthcheck?.test ?? []).join(' ');
      const port = service.environment?.PORT;
      const path = roleOf(service) === 'web' ? '/ready' : '/health';
      expect(check, name).toContain(`http://127.0.0.1:${port}${path}`);
    }
  });

  it('puts nginx in front of exactly the web services, and keeps /metrics off it', () => {
    const nginx = readFileSync(join(DEPLOY, 'nginx.conf'), 'utf8');
    const upstream = [...nginx.matchAll(/^\s*server ([\w-]+):(\d+)/gm)].map((m) => `${m[1]}:${m[2]}`).sort();
    const web = appServices
      .filter(([, s]) => roleOf(s) === 'web')
      .map(([name, s]) => `${name}:${s.environment?.PORT}`)
      .sort();
    expect(upstream).toEqual(web);
    expect(nginx).toMatch(/location = \/metrics \{\s*return 404;/);
  });
});
