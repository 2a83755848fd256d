import type { SiyuRole } from '../config.ts';

/** What a process of each SIYU_ROLE does (docs/deploy.md). */
export interface RolePlan {
  /** Editor, API, webhooks and tracked links on the port (else only /health, /ready, /metrics). */
  servesWeb: boolean;
  /** Timers, outbox, audience runs and package jobs (the engine's loops). */
  runsEngine: boolean;
}

export function rolePlan(role: SiyuRole): RolePlan {
  return { servesWeb: role !== 'worker', runsEngine: role !== 'web' };
}
