import { useLocale } from '../app/i18n.ts';
import { customerHref } from '../app/routes.ts';

/**
 * A customer as a marketer knows them, linking to their profile: name and phone (the API sends
 * them with every row), not the internal id (kept as the link's tooltip for support).
 */
export function CustomerLink(props: {
  customerId: string;
  customer: { displayName: string | null; phone: string | null };
}) {
  const { t } = useLocale();
  const { displayName, phone } = props.customer;
  const words = [displayName, phone].filter(Boolean).join(' · ') || t('pages:customerLink.unnamedCustomer');
  return (
    <a href={customerHref(props.customerId)} title={props.customerId} data-testid="customer-link">
      {words}
    </a>
  );
}
