// 包裹卡引流 on PostgreSQL: the same plan and checks as package-card.test.ts, at an eighth of the
// customers (simulation/playbook-run.ts).
import '../simulation/on-postgresql.ts';
import './package-card.test.ts';
