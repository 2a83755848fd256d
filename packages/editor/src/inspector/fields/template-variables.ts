import { templateTokens } from '@siyu/shared';

/**
 * What fills each `{{…}}` of a message text when it is sent (shared's renderTemplate over
 * customerTemplateVariables: the customer's fields, their attributes both under `attributes.` and
 * flattened, `customer.` for all of it, and the SMS's `link`):
 * - `field`: one of the customer's fields (`displayName`, `channel.code`, …), named in words;
 * - `attribute`: an attribute some customers have (the workspace's attribute names);
 * - `unknown`: no field, and no customer has such an attribute: it is sent as nothing;
 * - `unchecked`: could be an attribute, but the attribute names are not known here (no server);
 * - `literal`: braces around something that is not a name (`{{客户 名}}`, `{{}}`): sent as typed.
 */
export type VariableUse =
  | { token: string; kind: 'field'; field: CustomerField }
  | { token: string; kind: 'attribute'; name: string }
  | { token: string; kind: 'unknown' | 'unchecked' | 'literal' };

/** The customer fields a text may name, each with its words in the catalogs (inspector:templateFields.*). */
const FIELDS = {
  displayName: 'displayName',
  id: 'id',
  tags: 'tags',
  ownerUserId: 'ownerUserId',
  'channel.code': 'channelCode',
  'channel.variant': 'channelVariant',
  'rfm.segment': 'rfmSegment',
  'rfm.recency': 'rfmRecency',
  'rfm.frequency': 'rfmFrequency',
  'rfm.monetary': 'rfmMonetary',
  'identities.phone': 'phone',
  'identities.externalId': 'externalId',
  link: 'link',
} as const;
export type CustomerField = (typeof FIELDS)[keyof typeof FIELDS];

export function templateVariables(
  text: string,
  options: { sms: boolean; attributeNames?: readonly string[] },
): VariableUse[] {
  const attributes = options.attributeNames ? new Set(options.attributeNames) : undefined;
  return templateTokens(text).map(({ token, name }) =>
    name === undefined ? { token, kind: 'literal' } : classify(token, name, options.sms, attributes),
  );
}

function classify(token: string, name: string, sms: boolean, attributes: Set<string> | undefined): VariableUse {
  const path = name.startsWith('customer.') ? name.slice('customer.'.length) : name;
  const field = (FIELDS as Record<string, CustomerField>)[path];
  if (field && (field !== 'link' || (sms && path === name))) return { token, kind: 'field', field };
  const attribute = path.startsWith('attributes.') ? path.slice('attributes.'.length) : path;
  if (!attributes) return { token, kind: 'unchecked' };
  // An attribute whose value is an object may be read into (`{{attributes.address.city}}`).
  const [head = ''] = attribute.split('.');
  return attributes.has(head) ? { token, kind: 'attribute', name: attribute } : { token, kind: 'unknown' };
}
