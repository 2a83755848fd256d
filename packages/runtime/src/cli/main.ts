// `pnpm cli <command>`: import / validate / enroll / export. See program.ts for exit codes.
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  progress: Boolean(process.stderr.isTTY),
});
process.exit(code);
