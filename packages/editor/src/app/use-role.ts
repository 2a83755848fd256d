import { useQuery } from '@tanstack/react-query';
import { trpc } from './kit/query.ts';

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
  // One request for the whole page: every caller shares the cached answer.
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  if (me.isError) return 'none';
  if (me.data === undefined) return undefined;
  return me.data?.kind === 'operator' ? me.data.role : 'none';
}
