import { apiErrorDetail } from '@siyu/shared';
import { z } from 'zod';
import { type ColumnMap, guessColumn, type KnownColumn, normalizeHeader } from './columns.ts';
import { ImportFileError } from './import-error.ts';
import type { OrderColumn } from './order-columns.ts';

/** What a column of the file can hold. `attribute:<key>` stores it as that customer attribute. */
export const SINGLE_FIELDS = [
  'phone',
  'name',
  'tags',
  'externalId',
  'wecomExternalUserId',
  'orderId',
  'amount',
  'orderedAt',
] as const;
export type SingleField = (typeof SINGLE_FIELDS)[number];
export type ImportField = SingleField | 'ignore' | `attribute:${string}`;

const ATTRIBUTE = /^attribute:(.{1,64})$/;
const ORDER_FIELDS: readonly string[] = ['orderId', 'amount', 'orderedAt'] satisfies OrderColumn[];

export const ImportFieldSchema = z.union([
  z.enum(SINGLE_FIELDS),
  z.literal('ignore'),
  z
    .string()
    .regex(ATTRIBUTE, {
      message:
        'a field is phone, name, tags, externalId, wecomExternalUserId, orderId, amount, orderedAt, ignore or attribute:<name>',
    })
    .transform((s) => s as `attribute:${string}`),
]);

/**
 * Header → field, chosen by the operator where the guess (columns.ts) is wrong or absent, e.g. a
 * CRM export whose phone column is headed "Tel (mobile)". Headers not named keep their guess.
 */
export const ColumnMappingSchema = z
  .record(z.string().trim().min(1).max(200), ImportFieldSchema)
  .refine((m) => Object.keys(m).length <= 200, { message: 'at most 200 columns may be mapped' });
export type ColumnMapping = z.infer<typeof ColumnMappingSchema>;

/**
 * The CLI's `--map 'Header=field'` flags as a mapping. Split at the last `=`: a header may hold
 * one, a field never does.
 */
export function mappingFromFlags(flags: readonly string[]): ColumnMapping {
  const entries: [string, string][] = [];
  for (const flag of flags) {
    const at = flag.lastIndexOf('=');
    if (at <= 0 || at === flag.length - 1) {
      throw new ImportFileError('MAPPING', apiErrorDetail('import.mappingFlag', { flag }));
    }
    entries.push([flag.slice(0, at).trim(), flag.slice(at + 1).trim()]);
  }
  const parsed = ColumnMappingSchema.safeParse(Object.fromEntries(entries));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ImportFileError(
      'MAPPING',
      apiErrorDetail('import.mappingField', {
        column: String(issue?.path[0] ?? ''),
        field: String(entries.find(([h]) => h === issue?.path[0])?.[1] ?? ''),
      }),
    );
  }
  return parsed.data;
}

/** One column as the import will read it: for the wizard's preview and the CLI's dry listing. */
export interface ColumnPlan {
  index: number;
  header: string;
  field: ImportField;
  /** True when the operator chose it, false when it was guessed from the header. */
  chosen: boolean;
}

/**
 * Each column's field: the operator's choice when the mapping names its header, else the guess.
 * Fails, naming the column, when the mapping names a header the file does not have or gives one
 * field (other than attributes) to two columns.
 */
export function planColumns(header: readonly string[], mapping: ColumnMapping = {}): ColumnPlan[] {
  const names = header.map(normalizeHeader);
  const byName = new Map(Object.entries(mapping).map(([h, f]) => [normalizeHeader(h), f] as const));
  for (const wanted of byName.keys()) {
    if (!names.includes(wanted)) {
      throw new ImportFileError(
        'MAPPING',
        apiErrorDetail('import.mappingUnknownColumn', { column: wanted, columns: names.filter(Boolean).join(', ') }),
      );
    }
  }
  const chosenFields = new Map<string, string>();
  for (const [name, field] of byName) {
    if (field === 'ignore' || field.startsWith('attribute:')) continue;
    const other = chosenFields.get(field);
    if (other !== undefined) {
      throw new ImportFileError(
        'MAPPING',
        apiErrorDetail('import.mappingTwice', { field, first: other, second: name }),
      );
    }
    chosenFields.set(field, name);
  }
  const taken = new Set<string>(chosenFields.keys());
  return names.map((name, index) => {
    const chosen = byName.get(name);
    if (chosen !== undefined) return { index, header: name, field: chosen, chosen: true };
    const guess = guessColumn(name);
    // A guess never takes a field the operator gave to another column, nor one taken by an
    // earlier column (the first "手机" column is the phone; a second becomes an attribute).
    if (guess && !taken.has(guess)) {
      taken.add(guess);
      return { index, header: name, field: guess, chosen: false };
    }
    return { index, header: name, field: name ? (`attribute:${name}` as const) : 'ignore', chosen: false };
  });
}

/** The plan as the reader's column indexes. */
export function columnMapOf(plan: readonly ColumnPlan[]): ColumnMap {
  const map: ColumnMap = { known: {}, orders: {}, attributes: [] };
  for (const { index, field } of plan) {
    if (field === 'ignore') continue;
    const attribute = ATTRIBUTE.exec(field);
    if (attribute) map.attributes.push({ index, key: attribute[1] as string });
    else if (ORDER_FIELDS.includes(field)) map.orders[field as OrderColumn] = index;
    else map.known[field as KnownColumn] = index;
  }
  return map;
}
