// Builds the server halves of discovered node packages over one database: each package's factory
// gets generic ExtensionDeps (clock, logger, env, fetch, its own storage namespace) and what it
// returns is checked against its definitions. A factory that throws or returns something wrong
// drops the whole package (definitions too), so the registry never holds nodes nobody can run.
import {
  type CredentialReader,
  createEffectCalls,
  type ExtensionDeps,
  formatPath,
  type NodePackage,
  type ServerNodePackage,
} from '@siyu/shared';
import { z } from 'zod';
import { scopeCredentials } from '../credentials/store.ts';
import type { AppDatabase } from '../db/app-database.ts';
import type { Clock } from '../engine/api.ts';
import type { Logger } from '../logger.ts';
import type { DiscoveredPackage, DiscoveryProblem } from './discovery.ts';
import { createExtensionStorage, effectNamespace } from './extension-storage.ts';
import { createSandboxInbox } from './sandbox-inbox.ts';
import { storedCredentials } from './stored-credentials.ts';

export interface ExtensionHostDeps {
  db: AppDatabase;
  clock: Clock;
  logger: Logger;
  /** Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Building for a simulation: packages are told (deps.sandbox) and their fetch refuses every request. */
  sandbox?: boolean;
  /** Stored credentials; default: the store over `db`. */
  credentials?: CredentialReader;
}

export interface ExtensionAssembly {
  nodePackages: NodePackage[];
  serverPackages: ServerNodePackage[];
  problems: DiscoveryProblem[];
}

const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', { message: 'must be a function' });

const ServerPackageShape = z.looseObject({
  name: z.string(),
  executors: z.array(z.looseObject({ definition: z.looseObject({ type: z.string() }), run: fn })),
  webhooks: z
    .array(z.looseObject({ method: z.enum(['GET', 'POST']), path: z.string().startsWith('/'), handle: fn }))
    .optional(),
  jobs: z.array(z.looseObject({ name: z.string().min(1), everyMs: z.number().positive(), run: fn })).optional(),
});

function checkServerPackage(value: unknown, nodePackage: NodePackage): string | undefined {
  const shape = ServerPackageShape.safeParse(value);
  if (!shape.success) {
    return shape.error.issues.map((i) => `server package ${formatPath(i.path)}: ${i.message}`).join('; ');
  }
  const server = value as ServerNodePackage;
  if (server.name !== nodePackage.name) {
    return `server package is named "${server.name}" but its NodePackage is "${nodePackage.name}"`;
  }
  const types = new Set(nodePackage.nodes.map((n) => n.type));
  const seen = new Set<string>();
  for (const executor of server.executors) {
    const type = executor.definition.type;
    if (!types.has(type)) return `executor for "${type}", which is not a node of package "${nodePackage.name}"`;
    if (seen.has(type)) return `two executors for "${type}"`;
    seen.add(type);
  }
  const missing = nodePackage.nodes.filter((n) => n.effect && !seen.has(n.type)).map((n) => n.type);
  if (missing.length) return `no executor for these nodes, which declare an effect: ${missing.join(', ')}`;
  return undefined;
}

/**
 * The fetch a package gets in a simulation: simulations never reach real services (the built-in
 * providers switch to their sandboxes), and a third-party package that ignores deps.sandbox must
 * not be the exception. The step fails with this message, which the test run shows.
 */
function refusingFetch(packageName: string): typeof fetch {
  return async (input) => {
    const url = input instanceof Request ? input.url : String(input);
    throw new Error(
      `模拟运行中节点包 ${packageName} 不能访问外部服务（${url}），请在 deps.sandbox 为 true 时返回模拟结果 / ` +
        `package ${packageName} may not call ${url} in a simulation: return a simulated result when deps.sandbox is true`,
    );
  };
}

export function assembleExtensions(
  discovered: readonly DiscoveredPackage[],
  host: ExtensionHostDeps,
): ExtensionAssembly {
  const out: ExtensionAssembly = { nodePackages: [], serverPackages: [], problems: [] };
  for (const found of discovered) {
    const { nodePackage } = found;
    const problem = (message: string) => out.problems.push({ package: found.name, dir: found.dir, message });
    if (!found.createServer) {
      const needing = nodePackage.nodes.filter((n) => n.effect).map((n) => n.type);
      if (needing.length) {
        problem(`no "./server" entry, but these nodes declare an effect: ${needing.join(', ')}`);
        continue;
      }
      out.nodePackages.push(nodePackage);
      continue;
    }
    const deps: ExtensionDeps = {
      packageName: nodePackage.name,
      clock: host.clock,
      logger: host.logger.child({ nodePackage: nodePackage.name }),
      env: host.env ?? process.env,
      fetch: host.sandbox ? refusingFetch(nodePackage.name) : (host.fetch ?? globalThis.fetch),
      storage: createExtensionStorage(host.db, nodePackage.name, host.clock),
      credentials: scopeCredentials(host.credentials ?? storedCredentials(host.db), nodePackage),
      sandbox: host.sandbox === true,
      sandboxInbox: createSandboxInbox(host.db, nodePackage.name),
      effects: createEffectCalls(createExtensionStorage(host.db, effectNamespace(nodePackage.name), host.clock), () =>
        host.clock.now(),
      ),
    };
    let server: unknown;
    try {
      server = found.createServer(deps);
    } catch (error) {
      problem(`server factory threw: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    const wrong = checkServerPackage(server, nodePackage);
    if (wrong) {
      problem(wrong);
      continue;
    }
    out.nodePackages.push(nodePackage);
    out.serverPackages.push(server as ServerNodePackage);
  }
  return out;
}
