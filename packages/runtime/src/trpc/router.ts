import { audiencesRouter } from './routers/audiences.ts';
import { auditRouter } from './routers/audit.ts';
import { authRouter } from './routers/auth.ts';
import { callbacksRouter } from './routers/callbacks.ts';
import { channelsRouter } from './routers/channels.ts';
import { couponsRouter } from './routers/coupons.ts';
import { credentialsRouter } from './routers/credentials.ts';
import { smsTemplatesRouter } from './routers/sms-templates.ts';
import { customersRouter } from './routers/customers.ts';
import { eventsRouter } from './routers/events.ts';
import { journeysRouter } from './routers/journeys.ts';
import { nodesRouter } from './routers/nodes.ts';
import { apiKeysRouter, operatorsRouter } from './routers/operators.ts';
import { outcomesRouter } from './routers/outcomes.ts';
import { overviewRouter } from './routers/overview.ts';
import { reportsRouter } from './routers/reports.ts';
import { runsRouter } from './routers/runs.ts';
import { sandboxRouter } from './routers/sandbox.ts';
import { staffTasksRouter } from './routers/staff-tasks.ts';
import { settingsRouter } from './routers/settings.ts';
import { statsRouter } from './routers/stats.ts';
import { tagsRouter } from './routers/tags.ts';
import { wecomRouter } from './routers/wecom.ts';
import { createCallerFactory, router } from './trpc.ts';

/** The whole API. The editor imports only `type AppRouter`. */
export const appRouter = router({
  auth: authRouter,
  operators: operatorsRouter,
  apiKeys: apiKeysRouter,
  journeys: journeysRouter,
  channels: channelsRouter,
  customers: customersRouter,
  audiences: audiencesRouter,
  events: eventsRouter,
  runs: runsRouter,
  stats: statsRouter,
  reports: reportsRouter,
  staffTasks: staffTasksRouter,
  wecom: wecomRouter,
  coupons: couponsRouter,
  sandbox: sandboxRouter,
  settings: settingsRouter,
  tags: tagsRouter,
  callbacks: callbacksRouter,
  overview: overviewRouter,
  audit: auditRouter,
  outcomes: outcomesRouter,
  nodes: nodesRouter,
  credentials: credentialsRouter,
  smsTemplates: smsTemplatesRouter,
});
export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
