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
  /** The channel (entry code) and variant that brought the customer in, if known (DEFAULT_VARIANT: none named). */
  channel?: { code: string; variant?: string };
  /** WeCom staff member (userid) who owns the relationship, if any. */
  ownerUserId?: string;
  rfm?: RfmScore;
}

/**
 * The variant stored for an entry code made without one (the EntryCode column's default, and the
 * API's). A stored value, never a name: screens show it as 默认方案 / Default, and tags and labels
 * leave it out.
 */
export const DEFAULT_VARIANT = 'default';
