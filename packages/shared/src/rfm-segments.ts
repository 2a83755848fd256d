import { type LocalizedText, t } from './i18n.ts';

/**
 * The RFM segments (`rfm.segment`) a customer falls in, in the order operators read them, with
 * their names. The one list: the runtime's segment rule names a customer's segment from it and
 * the cohorts report counts each of them.
 */
export const RFM_SEGMENTS = [
  { id: 'champions', label: t('重要价值客户', 'Champions') },
  { id: 'loyal', label: t('忠诚客户', 'Loyal') },
  { id: 'new', label: t('新客户', 'New') },
  { id: 'atRisk', label: t('流失风险客户', 'At risk') },
  { id: 'lost', label: t('已流失客户', 'Lost') },
  { id: 'noOrders', label: t('未下单', 'No orders') },
] as const satisfies readonly { id: string; label: LocalizedText }[];

export type RfmSegment = (typeof RFM_SEGMENTS)[number]['id'];
