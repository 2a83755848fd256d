export { decodeText } from './decode.ts';
export { type ImportOptions, type ImportReport, importCustomers, type RowProblem } from './import-customers.ts';
export { readTable } from './read-table.ts';
