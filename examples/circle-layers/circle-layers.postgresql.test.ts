// 圈层跃迁 on PostgreSQL: the same plan and checks as circle-layers.test.ts, at an eighth of the
// customers (simulation/playbook-run.ts).
import '../simulation/on-postgresql.ts';
import './circle-layers.test.ts';
