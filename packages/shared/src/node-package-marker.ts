import type { NodePackage } from './node-sdk.ts';

/**
 * How the runtime and the editor recognise node packages. Both used to carry their own copy of
 * these checks; they share this one, so a package one of them accepts the other accepts too.
 */

/** The package.json field that makes a folder or an npm dependency a node package. */
export const NODE_PACKAGE_MARKER = '"siyu": { "nodePackage": true }';

/** True when a parsed package.json carries exactly `"siyu": { "nodePackage": true }`. */
export function hasNodePackageMarker(manifest: unknown): boolean {
  if (typeof manifest !== 'object' || manifest === null) return false;
  const siyu = (manifest as { siyu?: unknown }).siyu;
  return typeof siyu === 'object' && siyu !== null && (siyu as { nodePackage?: unknown }).nodePackage === true;
}

/** A module export that is a NodePackage: anything with a name, a label and a nodes array. */
export function isNodePackage(value: unknown): value is NodePackage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as NodePackage).name === 'string' &&
    Array.isArray((value as NodePackage).nodes) &&
    typeof (value as NodePackage).label === 'object' &&
    (value as NodePackage).label !== null
  );
}
