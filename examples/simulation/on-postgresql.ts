// Imported first by `<folder>.postgresql.test.ts`: the playbook file imported after it runs on a
// scratch PostgreSQL database with an eighth of the customers (playbook-run.ts says why).
import { runOn } from './playbook-run.ts';

runOn('postgresql', 0.125);
