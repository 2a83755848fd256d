import { useLocale } from './i18n.ts';
import { useStaffNames } from './staff-names.ts';

/**
 * A staff member by name, with the WeCom userid on hover (to find them in WeCom's admin). A userid
 * the directory does not know is shown as it is, marked so, since it is all there is to go by.
 */
export function StaffName({ userId }: { userId: string }) {
  const { t } = useLocale();
  const label = useStaffNames()(userId);
  return (
    <span className="staff-name" title={t('app:staff.userIdTitle', { userId })} data-staff={userId}>
      {label.name}
      {!label.known && <span className="muted"> {t('app:staff.notInDirectory')}</span>}
      {label.inactive && <span className="muted"> {t('app:staff.inactive')}</span>}
    </span>
  );
}
