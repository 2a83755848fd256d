import type { ReactNode } from 'react';

/**
 * A list page's body: the last load's error (if any), then a `grid` table with one heading per
 * column and the rows the page renders.
 */
export function GridTable({
  error,
  headings,
  children,
}: {
  error: string;
  headings: ReactNode[];
  children: ReactNode;
}) {
  return (
    <>
      {error && <p className="field-message">{error}</p>}
      <table className="grid">
        <thead>
          <tr>
            {headings.map((heading, i) => (
              // Headings are fixed per page: their position is their identity.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <th key={i}>{heading}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </>
  );
}
