import { useEffect, useState } from 'react';
import { api } from './server-api.ts';

/**
 * Whether the signed-in operator may change things (operator or admin). Undefined while asking:
 * pages render read-only until the answer, so a viewer never sees a button flash. The server
 * enforces roles anyway; this only keeps viewers from being offered what they cannot do.
 */
export function useCanEdit(): boolean | undefined {
  const [canEdit, setCanEdit] = useState<boolean>();
  useEffect(() => {
    let live = true;
    api.auth.me.query().then(
      (me) => live && setCanEdit(me?.kind === 'operator' && me.role !== 'viewer'),
      () => live && setCanEdit(false),
    );
    return () => {
      live = false;
    };
  }, []);
  return canEdit;
}
