// Imported first by `<folder>.postgresql.test.ts`: the playbook file imported after it runs on a
// scratch PostgreSQL database with a quarter of the customers (playbook-run.ts says why).
import { runOn } from './playbook-run.ts';

runOn('postgresql', 0.25);
