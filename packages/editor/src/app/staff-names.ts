import { useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { trpc } from './kit/query.ts';

export interface StaffLabel {
  /** The member's name from the WeCom staff directory, or the userid when the directory has none. */
  name: string;
  /** False when the directory does not know the userid (not synced yet, or not a contact member). */
  known: boolean;
  /** WeCom no longer lists the member (left, or lost customer-contact permission). */
  inactive: boolean;
}

/** The WeCom staff directory (`wecom.staff`), read once for every screen and kept for five minutes. */
export function useStaffDirectory() {
  return useQuery(trpc.wecom.staff.queryOptions(undefined, { staleTime: 5 * 60_000 }));
}

/**
 * Names for WeCom userids (the customer's owner, a task's assignee, a live code's staff), read once
 * for every screen from the server's staff directory (`wecom.staff`) and kept for five minutes.
 */
export function useStaffNames(): (userId: string) => StaffLabel {
  const directory = useStaffDirectory().data;
  return useCallback(
    (userId: string) => {
      const member = directory?.find((m) => m.userId === userId);
      return member
        ? { name: member.name, known: true, inactive: !member.active }
        : { name: userId, known: false, inactive: false };
    },
    [directory],
  );
}
