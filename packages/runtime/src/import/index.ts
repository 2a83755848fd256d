export { decodeText } from './decode.ts';
export { type ImportOptions, type ImportReport, importCustomers, type RowProblem } from './import-customers.ts';
export { ImportFileError, MAX_IMPORT_ROWS, MAX_XLSX_UNCOMPRESSED_BYTES } from './import-error.ts';
export { readTable } from './read-table.ts';
