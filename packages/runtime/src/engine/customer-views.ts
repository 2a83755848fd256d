// The customer as a step sees it: parsed from the stored row, read only when a node looks.
import {
  applyCustomerUpdate,
  type CustomerUpdate,
  type CustomerView,
  IDENTITY_KINDS,
  type Identities,
  type RfmScore,
} from '@siyu/shared';
import type { CustomerRow } from './store/port.ts';

/** RFM of a customer who never ordered (scores 0, as segments compute it). */
const NO_ORDERS_RFM: RfmScore & Record<string, unknown> = {
  recency: 0,
  frequency: 0,
  monetary: 0,
  segment: 'noOrders',
  recencyDays: null,
  orderCount: 0,
  totalCents: 0,
};

export type StoredCustomerView = CustomerView & { erased: boolean };

export function parseCustomer(row: CustomerRow): StoredCustomerView {
  const identities: Identities = {};
  for (const [kind, value] of Object.entries(JSON.parse(row.identities) as Record<string, string>)) {
    if ((IDENTITY_KINDS as readonly string[]).includes(kind)) identities[kind as keyof Identities] = value;
  }
  return {
    id: row.id,
    tags: JSON.parse(row.tags) as string[],
    attributes: JSON.parse(row.attributes) as Record<string, unknown>,
    identities,
    channel: row.channelCode ? { code: row.channelCode, variant: row.variant ?? undefined } : undefined,
    displayName: row.displayName ?? undefined,
    ownerUserId: row.ownerUserId ?? undefined,
    // Refreshed by the engine (rfm-refresh.ts); no orders reads as the "noOrders" segment.
    rfm: row.rfm ? (JSON.parse(row.rfm) as RfmScore) : NO_ORDERS_RFM,
    erased: row.erasedAt !== null,
  };
}

/** Reads customers for steps through the store's loader. */
export class CustomerViews {
  constructor(private readonly load: (customerId: string) => CustomerRow | undefined) {}

  view(customerId: string): StoredCustomerView | undefined {
    const row = this.load(customerId);
    return row ? parseCustomer(row) : undefined;
  }

  /**
   * The customer as a step sees it, read from the database only when a node's logic looks at it
   * (a branch on tags does; a wait or an effect's result usually does not). Read at most once.
   */
  lazy(customerId: string): CustomerView {
    // No named helper closure here: under tsx every named function created per call is also
    // given its name with Object.defineProperty, a measurable cost at thousands of steps a second.
    let view: CustomerView | undefined;
    const views = this;
    return {
      id: customerId,
      get tags() {
        view ??= views.required(customerId);
        return view.tags;
      },
      get attributes() {
        view ??= views.required(customerId);
        return view.attributes;
      },
      get identities() {
        view ??= views.required(customerId);
        return view.identities;
      },
      get channel() {
        view ??= views.required(customerId);
        return view.channel;
      },
      get displayName() {
        view ??= views.required(customerId);
        return view.displayName;
      },
      get ownerUserId() {
        view ??= views.required(customerId);
        return view.ownerUserId;
      },
      get rfm() {
        view ??= views.required(customerId);
        return view.rfm;
      },
    };
  }

  private required(customerId: string): CustomerView {
    const view = this.view(customerId);
    if (!view) throw new Error(`customer ${customerId} does not exist`);
    return view;
  }
}

/**
 * The customer as the rest of a step sees it after a customer update made in that step (written
 * when the step is): tags and attributes changed, the rest read through `view` as before.
 */
export function updatedView(view: CustomerView, update: CustomerUpdate): CustomerView {
  let after: { tags: string[]; attributes: Record<string, unknown> } | undefined;
  return {
    id: view.id,
    get tags() {
      after ??= applyCustomerUpdate(view, update);
      return after.tags;
    },
    get attributes() {
      after ??= applyCustomerUpdate(view, update);
      return after.attributes;
    },
    get identities() {
      return view.identities;
    },
    get channel() {
      return view.channel;
    },
    get displayName() {
      return view.displayName;
    },
    get ownerUserId() {
      return view.ownerUserId;
    },
    get rfm() {
      return view.rfm;
    },
  };
}
