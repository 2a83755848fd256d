// 新客承接 on PostgreSQL: the same plan and checks as new-contact-reception.test.ts, at an eighth of the
// customers (simulation/playbook-run.ts).
import '../simulation/on-postgresql.ts';
import './new-contact-reception.test.ts';
