/** Exit codes scripts can rely on. */
export const EXIT = {
  ok: 0,
  /** The task ran but the data had problems: rejected import rows, invalid journey, failed enrolments. */
  dataProblems: 1,
  /** Bad command line or configuration. */
  usage: 2,
  /** Anything unexpected (database unreadable, bug). */
  error: 3,
} as const;
