// Imported first by main.tsx. The server's Content-Security-Policy forbids eval, which zod's JIT
// probes with `new Function` on first parse: the probe is caught, but the browser still reports a
// CSP violation. jitless skips the probe (and the JIT; the editor's parses are small).
import { z } from 'zod';

z.config({ jitless: true });
