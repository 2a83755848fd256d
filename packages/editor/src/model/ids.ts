/** Short random ids that satisfy NodeIdSchema (letters, digits, "_" and "-"). */
export function newId(prefix: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${prefix}_${Date.now().toString(36).slice(-4)}${random}`;
}

export function edgeId(source: string, port: string, target: string): string {
  return `${source}.${port}->${target}`.slice(0, 140);
}
