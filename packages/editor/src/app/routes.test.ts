import { describe, expect, it } from 'vitest';
import { CUSTOMERS_HREF, customerHref, parsePageRoute, sandboxHref } from './routes.ts';

describe('page routes', () => {
  it('round-trips the sandbox inbox (optionally per customer) and customer profiles', () => {
    expect(parsePageRoute(sandboxHref())).toEqual({ page: 'sandbox' });
    expect(parsePageRoute(sandboxHref('c 1&x'))).toEqual({ page: 'sandbox', customerId: 'c 1&x' });
    expect(parsePageRoute(customerHref('wm/42'))).toEqual({ page: 'customer', customerId: 'wm/42' });
    expect(parsePageRoute(CUSTOMERS_HREF)).toEqual({ page: 'customers' });
    expect(parsePageRoute('#/customers/')).toBeNull();
    expect(parsePageRoute('#/reports/channels')).toBeNull();
    expect(parsePageRoute('')).toBeNull();
  });
});
