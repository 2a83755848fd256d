// Kept only for importers outside engine/, whose import lines another branch is rewriting while
// it moves those folders: isoDate now lives in iso-date.ts and the engine's SQL in
// store/sqlite/statements.ts. Delete this file once they import from there.
export { isoDate } from './iso-date.ts';
