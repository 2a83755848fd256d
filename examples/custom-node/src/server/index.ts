// Server half of the lottery package. The runtime discovers this folder (package.json
// "siyu": { "nodePackage": true }), imports "./server" and calls createServerPackage with the
// generic extension services; this package only needs its storage.
import { defineServerPackage } from '@siyu/shared';
import { lotteryPackage } from '../index.ts';
import { drawExecutor } from './draw-executor.ts';

export { drawExecutor, drawKey, stockKey } from './draw-executor.ts';

export const createServerPackage = defineServerPackage((deps) => ({
  name: lotteryPackage.name,
  executors: [drawExecutor(deps.storage)],
}));
