import type BetterSqlite3 from 'better-sqlite3';
import { mergePhoneDuplicates } from '../customers/phone-duplicates.ts';
import type { Logger } from '../logger.ts';
import { isoDate } from './iso-date.ts';

interface DataStepDefinition {
  /** Stable name, recorded in DataStep when the step has run. */
  name: string;
  run(db: BetterSqlite3.Database, now: number): object;
  /** What start-up logs about the step's result. */
  report(result: object, logger: Logger): void;
}

/** In order; a step never changes once shipped (a database that ran it will not run it again). */
const STEPS: DataStepDefinition[] = [
  {
    name: 'phones-e164',
    run: (db, now) => mergePhoneDuplicates(db, now),
    report(result, logger) {
      const r = result as ReturnType<typeof mergePhoneDuplicates>;
      logger.info(r, `phones stored as E.164: merged ${r.merged} customers`);
      if (r.invalid > 0) logger.warn(r, `${r.invalid} stored phones are not valid numbers; left as they were`);
    },
  },
];

/**
 * Runs the data steps this database has not run yet, each in one transaction with its DataStep
 * row, so a crash leaves it not run (and it runs again at the next start). Afterwards start-up
 * costs one primary-key read per step.
 */
export function runDataSteps(db: BetterSqlite3.Database, options: { now: number; logger?: Logger }): string[] {
  const done = db.prepare<[string], { name: string }>('SELECT name FROM DataStep WHERE name = ?');
  const record = db.prepare('INSERT INTO DataStep (name, doneAt, result) VALUES (?, ?, ?)');
  const ran: string[] = [];
  for (const step of STEPS) {
    if (done.get(step.name)) continue;
    const result = db.transaction(() => {
      const r = step.run(db, options.now);
      record.run(step.name, isoDate(options.now), JSON.stringify(r));
      return r;
    })();
    if (options.logger) step.report(result, options.logger);
    ran.push(step.name);
  }
  return ran;
}
