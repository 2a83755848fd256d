import { z } from 'zod';

/**
 * Longest tag name the product stores, searches and removes. Every door that takes a tag name
 * (the customer search, the tag editor, tag nodes, audience filters) uses this one schema, so a
 * tag written anywhere can be found and removed everywhere.
 */
export const TAG_MAX_LENGTH = 50;

export const TagNameSchema = z.string().trim().min(1).max(TAG_MAX_LENGTH);

/**
 * A tag made from a prefix and a value the operator named elsewhere (版本:<variant>, whose
 * variant may itself be 50 characters): clipped to TAG_MAX_LENGTH so that it stays a tag the
 * search and the tag editor accept. Two values alike in their first characters then share a tag.
 */
export function prefixedTag(prefix: string, value: string): string {
  // Measured as zod measures (UTF-16 units), clipped between characters: an emoji is two units and
  // is kept whole or left out, never cut in half.
  let tag = '';
  for (const char of `${prefix}${value}`) {
    if (tag.length + char.length > TAG_MAX_LENGTH) break;
    tag += char;
  }
  return tag;
}
