import type { TFunction } from 'i18next';

/**
 * Text worded when it is shown, not when it is made: a notice kept in state as a `Words` follows a
 * language switch, where a string worded on arrival would stay in the language it came in.
 * Call it with the `t` of the render that shows it.
 */
export type Words = (t: TFunction) => string;
