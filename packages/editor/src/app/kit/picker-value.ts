import dayjs, { type Dayjs } from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat.js';

dayjs.extend(customParseFormat);

/** The stored forms, each parsed strictly (no "2026-02-31" rolled over into March). */
const FORMATS = ['YYYY-MM-DD', 'YYYY-MM-DDTHH:mm', 'HH:mm'];

/**
 * A stored wall-clock text as an antd picker's value: a day ("2026-03-01"), a day and time
 * ("2026-03-01T09:30") or a time of day ("09:30"). Empty or malformed text is null, so the picker
 * shows empty rather than "Invalid Date". antd's pickers (not the browser's native inputs, which
 * follow the operating system's language: "09:00 PM" in the Chinese UI) word and lay out the date
 * in the language chosen in the app (AntdKit's ConfigProvider).
 */
export function pickerValue(text: string | undefined): Dayjs | null {
  if (!text) return null;
  const value = dayjs(text, FORMATS, true);
  return value.isValid() ? value : null;
}
