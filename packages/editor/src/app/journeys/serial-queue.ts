/**
 * Runs async work one piece at a time, in the order it was handed in: the draft's saves, detail
 * edits and publishes share one, so none of them reads a revision another is about to change.
 * A piece that fails rejects its own promise only; the queue goes on with the next.
 */
export class SerialQueue {
  private tail: Promise<void> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const done = this.tail.then(work);
    this.tail = done.then(
      () => undefined,
      () => undefined,
    );
    return done;
  }
}
