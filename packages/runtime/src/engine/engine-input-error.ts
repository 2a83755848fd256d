/** Input the engine cannot act on (unknown customer or entry node, malformed event). */
export class EngineInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EngineInputError';
  }
}
