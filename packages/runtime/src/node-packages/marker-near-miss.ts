// Discovery loads a folder only when its package.json says exactly `"siyu": { "nodePackage": true }`.
// A typo there ("nodepackage", "true" in quotes, "Siyu") used to skip the package without a word,
// and journeys already using it stalled. This names what is almost right, for a warning at start-up.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_PACKAGE_MARKER as MARKER } from '@siyu/shared';

/** Edit distance, for spotting "nodePackge" or "nodePackages" (short strings only). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

const near = (key: string, wanted: string) => key !== wanted && distance(key.toLowerCase(), wanted.toLowerCase()) <= 2;

/**
 * Why a package.json that is not marked looks as if it meant to be, or undefined. `dir` is read
 * for one more hint: an unmarked package whose browser entry defines a node package.
 */
export function nearMissMarker(raw: Record<string, unknown>, dir: string): string | undefined {
  const siyuKey = Object.keys(raw).find((k) => k === 'siyu') ?? Object.keys(raw).find((k) => near(k, 'siyu'));
  if (siyuKey && siyuKey !== 'siyu') return `package.json has "${siyuKey}"; the marker is ${MARKER}`;
  const siyu = siyuKey ? raw[siyuKey] : undefined;
  if (siyu !== undefined) {
    if (typeof siyu !== 'object' || siyu === null) return `package.json "siyu" must be an object: ${MARKER}`;
    const marker = siyu as Record<string, unknown>;
    if ('nodePackage' in marker) {
      return `package.json "siyu.nodePackage" is ${JSON.stringify(marker.nodePackage)}; it must be the boolean true`;
    }
    const typo = Object.keys(marker).find((k) => near(k, 'nodePackage'));
    if (typo) return `package.json has "siyu.${typo}"; did you mean "nodePackage"? (keys are case-sensitive)`;
    return `package.json has a "siyu" field without "nodePackage": ${MARKER}`;
  }
  const flat = Object.keys(raw).find((k) => near(k, 'nodePackage') || k === 'nodePackage' || k === 'siyu.nodePackage');
  if (flat) return `package.json has a top-level "${flat}"; the marker is ${MARKER}`;
  const entry = join(dir, 'src', 'index.ts');
  const name = typeof raw.name === 'string' ? raw.name : '';
  // The workspace's own packages (@siyu/*) are registered explicitly, never discovered.
  if (!name.startsWith('@siyu/') && existsSync(entry) && readFileSync(entry, 'utf8').includes('defineNodePackage(')) {
    return `src/index.ts defines a node package but package.json has no marker: add ${MARKER}`;
  }
  return undefined;
}
