// 复购 on PostgreSQL: the same plan and checks as repurchase-cycle.test.ts, at an eighth of the
// customers (simulation/playbook-run.ts).
import '../simulation/on-postgresql.ts';
import './repurchase-cycle.test.ts';
