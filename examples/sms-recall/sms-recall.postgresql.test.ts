// 短信召回 on PostgreSQL: the same plan and checks as sms-recall.test.ts, at an eighth of the
// customers (simulation/playbook-run.ts).
import '../simulation/on-postgresql.ts';
import './sms-recall.test.ts';
