import { z } from 'zod';
import { OptionalPhoneSchema } from './phone.ts';

/** The ways one person is known across channels; any of them can identify an incoming event. */
export const IDENTITY_KINDS = ['phone', 'wecomExternalUserId', 'openid', 'unionid', 'externalId'] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export const IdentitiesSchema = z.object({
  /** Normalised to E.164 here, at the boundary, so every path finds the same customer; "" = absent. */
  phone: OptionalPhoneSchema,
  wecomExternalUserId: z.string().optional(),
  openid: z.string().optional(),
  unionid: z.string().optional(),
  externalId: z.string().optional(),
});
export type Identities = z.infer<typeof IdentitiesSchema>;

/** RFM scores 1–5 (5 = best) and the operator-facing segment name derived from them. */
export interface RfmScore {
  recency: number;
  frequency: number;
  monetary: number;
  segment?: string;
}

/**
 * What a node sees of a customer when it decides or acts. Conditions address these fields by
 * path: `tags`, `attributes.city`, `channel.code`, `rfm.segment`, `identities.phone`.
 */
export interface CustomerView {
  id: string;
  /** Name shown to staff and used in greetings (`{{displayName}}`): WeCom nickname or imported name. */
  displayName?: string;
  tags: string[];
  attributes: Record<string, unknown>;
  identities: Identities;
  /** The channel (entry code) and variant that brought the customer in, if known. */
  channel?: { code: string; variant?: string };
  /** WeCom staff member (userid) who owns the relationship, if any. */
  ownerUserId?: string;
  rfm?: RfmScore;
}
