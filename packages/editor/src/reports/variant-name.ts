import { distinctNames } from '../app/kit/distinct-names.ts';

/**
 * A variant as the operator named it; a name two variants share gets its place among them
 * (文案 A #2), so the table, the confirm and the messages never fall back to the config key.
 */
export function variantName(variants: readonly { variantId: string; label: string }[], variantId: string): string {
  return (
    distinctNames(
      variants,
      (v) => v.variantId,
      (v) => v.label,
    ).get(variantId) ?? variantId
  );
}
