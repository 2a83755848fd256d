/**
 * A variant as the operator named it; a name two variants share gets its place among them
 * (文案 A #2), so the table, the confirm and the messages never fall back to the config key.
 */
export function variantName(variants: readonly { variantId: string; label: string }[], variantId: string): string {
  const variant = variants.find((v) => v.variantId === variantId);
  if (!variant) return variantId;
  const same = variants.filter((v) => v.label === variant.label);
  return same.length > 1 ? `${variant.label} #${same.indexOf(variant) + 1}` : variant.label;
}
