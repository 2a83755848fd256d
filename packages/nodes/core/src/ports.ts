import { t } from '@siyu/shared';

/** The single "go on" port most core nodes have. */
export const NEXT_PORT = [{ id: 'next', label: t('继续', 'Next') }] as const;
