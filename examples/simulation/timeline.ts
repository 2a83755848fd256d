// Plays a behaviour plan against a playbook: every action at its instant, in time order, with the
// engine ticked on the way (timers that come due between two actions fire at their own instant).
import type { Playbook } from './playbook.ts';

export interface Action {
  at: number;
  run: () => unknown;
}

export async function play(book: Pick<Playbook, 'advanceTo' | 'engine'>, actions: readonly Action[]): Promise<void> {
  const sorted = [...actions].sort((a, b) => a.at - b.at); // stable: same-instant actions keep plan order
  for (let i = 0; i < sorted.length; ) {
    const at = (sorted[i] as Action).at;
    await book.advanceTo(at);
    for (; i < sorted.length && (sorted[i] as Action).at === at; i++) await (sorted[i] as Action).run();
    await book.engine.tick();
  }
}
