import { useLocale } from '../../app/i18n.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * ISO weekdays (1 = Monday … 7 = Sunday) as a row of checkboxes named in the operator's language
 * (周一 … 周日 / Mon … Sun), for a schedule's days and a time window's.
 */
export function WeekdayChecks(props: {
  value: readonly number[];
  onChange: (days: number[]) => void;
  testId?: string;
}) {
  const { locale } = useLocale();
  // 2024-01-01 was a Monday: day d of that week is ISO weekday d.
  const name = (d: number) =>
    new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, d)));
  return (
    <div className="weekdays" data-testid={props.testId}>
      {WEEKDAYS.map((d) => (
        <label key={d} className="checkbox">
          <input
            type="checkbox"
            checked={props.value.includes(d)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.value, d].sort((a, b) => a - b) : props.value.filter((x) => x !== d),
              )
            }
            data-day={d}
          />
          {name(d)}
        </label>
      ))}
    </div>
  );
}
