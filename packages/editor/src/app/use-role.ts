import { useEffect, useState } from 'react';
import { api } from './server-api.ts';

/**
 * Whether the signed-in operator may change things (operator or admin). Undefined while asking:
 * pages render read-only until the answer, so a viewer never sees a button flash. The server
 * enforces roles anyway; this only keeps viewers from being offered what they cannot do.
 */
export function useCanEdit(): boolean | undefined {
  const role = useRole();
  return role === undefined ? undefined : role === 'operator' || role === 'admin';
}

/** Whether the signed-in operator is an admin (undefined while asking). */
export function useIsAdmin(): boolean | undefined {
  const role = useRole();
  return role === undefined ? undefined : role === 'admin';
}

/** The signed-in operator's role ('none' for anyone else); undefined while asking. */
function useRole(): string | undefined {
  const [role, setRole] = useState<string>();
  useEffect(() => {
    let live = true;
    api.auth.me.query().then(
      (me) => live && setRole(me?.kind === 'operator' ? me.role : 'none'),
      () => live && setRole('none'),
    );
    return () => {
      live = false;
    };
  }, []);
  return role;
}
