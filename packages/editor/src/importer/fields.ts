import type { TFunction } from 'i18next';
import type { ImportField } from './types.ts';

/** The fields a column can be mapped to, in the order the select lists them. */
export const FIELD_CHOICES = [
  'phone',
  'name',
  'externalId',
  'wecomExternalUserId',
  'tags',
  'orderId',
  'amount',
  'orderedAt',
  'attribute',
  'ignore',
] as const;
export type FieldChoice = (typeof FIELD_CHOICES)[number];

/** The select's choice for a column's field (`attribute:城市` → attribute). */
export const choiceOf = (field: ImportField): FieldChoice =>
  field.startsWith('attribute:') ? 'attribute' : (field as FieldChoice);

/** The field a choice gives a column: an attribute is named after the column's header. */
export const fieldOf = (choice: FieldChoice, header: string): ImportField =>
  choice === 'attribute' ? `attribute:${header.slice(0, 64)}` : choice;

export const fieldLabel = (t: TFunction, choice: FieldChoice) => t(`importer:field.${choice}`);
