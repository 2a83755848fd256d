// `pnpm cli <command>`: import / validate / enroll / export / backup / restore. See program.ts for exit codes.

import { discoverRuntimeNodePackages, runtimeNodes } from '../assembly/default-nodes.ts';
import { createLogger } from '../logger.ts';
import { runCli } from './program.ts';

// The workspace's discovered node packages too, so `validate`/`enroll` know their node types.
const logger = createLogger('warn');
const code = await runCli(
  process.argv.slice(2),
  {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    progress: Boolean(process.stderr.isTTY),
  },
  runtimeNodes(logger, await discoverRuntimeNodePackages(logger)),
);
process.exit(code);
