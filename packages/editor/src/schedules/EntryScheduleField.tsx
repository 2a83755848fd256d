import type { EntrySchedule } from '@siyu/shared';
import { DatePicker, TimePicker } from 'antd';
import { useId } from 'react';
import { useLocale } from '../app/i18n.ts';
import { pickerValue } from '../app/kit/picker-value.ts';
import type { FieldProps } from '../inspector/fields/field-props.ts';
import { WeekdayChecks } from '../inspector/fields/WeekdayChecks.tsx';
import { readSchedule, upcomingRuns } from './run-times.ts';

const REPEATS = ['once', 'daily', 'weekly', 'cron'] as const;
/** Zones offered; a zone typed elsewhere (an imported journey) stays selectable. */
const ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Tokyo',
  'Asia/Singapore',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
];
/** Run times listed under the form. */
const SHOWN = 5;

/**
 * The audience entry's calendar (SchemaForm shows it only when the entry runs on a schedule): once at / daily at /
 * weekly on days at / a custom cron rule, a start, an end date and the zone they are read in, with
 * the next five run times on that zone's clock so the operator sees what the rule means.
 */
export function EntryScheduleField(props: FieldProps) {
  const { t, locale } = useLocale();
  const id = useId();
  const value = (props.value ?? {}) as Partial<EntrySchedule>;
  const set = (patch: Partial<EntrySchedule>) => {
    const next: Record<string, unknown> = { ...value, ...patch };
    for (const key of Object.keys(next)) if (next[key] === undefined || next[key] === '') delete next[key];
    props.onChange(next);
  };
  const schedule = readSchedule(value);
  const repeat = value.repeat ?? 'daily';
  const zone = value.timeZone ?? 'Asia/Shanghai';
  // Read again on every render (a few cron steps): the list always follows the form.
  const runs = schedule ? upcomingRuns(schedule, Date.now(), SHOWN, locale) : undefined;
  const error = (key: string) => props.errors.get(`${props.path}.${key}`);
  return (
    <fieldset className="group" data-field={props.path} data-testid="entry-schedule">
      <legend>{t('schedules:field.title')}</legend>
      <label className="field">
        <span className="field-label">{t('schedules:field.repeat')}</span>
        <select
          value={repeat}
          onChange={(e) => set({ repeat: e.target.value as EntrySchedule['repeat'] })}
          data-testid="schedule-repeat"
        >
          {REPEATS.map((r) => (
            <option key={r} value={r}>
              {t(`schedules:repeat.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label className={`field ${error('startAt') ? 'field-error' : ''}`} htmlFor={`${id}-start`}>
        <span className="field-label">
          {repeat === 'once' ? t('schedules:field.runAt') : t('schedules:field.startAt')}
        </span>
        <DatePicker
          showTime={{ format: 'HH:mm' }}
          format="YYYY-MM-DD HH:mm"
          id={`${id}-start`}
          value={pickerValue(value.startAt)}
          onChange={(at) => set({ startAt: at ? at.format('YYYY-MM-DDTHH:mm') : undefined })}
          data-testid="schedule-start"
        />
        {error('startAt') && <span className="field-message">{error('startAt')}</span>}
      </label>
      {(repeat === 'daily' || repeat === 'weekly') && (
        <label className="field" htmlFor={`${id}-time`}>
          <span className="field-label">{t('schedules:field.time')}</span>
          <TimePicker
            format="HH:mm"
            id={`${id}-time`}
            value={pickerValue(value.time ?? '10:00')}
            onChange={(at) => set({ time: at ? at.format('HH:mm') : undefined })}
            data-testid="schedule-time"
          />
        </label>
      )}
      {repeat === 'weekly' && (
        <div className={`field ${error('weekdays') ? 'field-error' : ''}`}>
          <span className="field-label">{t('schedules:field.weekdays')}</span>
          <WeekdayChecks
            value={value.weekdays ?? [1]}
            onChange={(weekdays) => set({ weekdays })}
            testId="schedule-weekdays"
          />
          {error('weekdays') && <span className="field-message">{error('weekdays')}</span>}
        </div>
      )}
      {repeat === 'cron' && (
        <label className={`field ${error('cron') ? 'field-error' : ''}`}>
          <span className="field-label">{t('schedules:field.cron')}</span>
          <input
            type="text"
            className="mono"
            value={value.cron ?? ''}
            maxLength={100}
            onChange={(e) => set({ cron: e.target.value })}
            data-testid="schedule-cron"
          />
          <span className="muted">{t('schedules:field.cronHelp')}</span>
          {error('cron') && <span className="field-message">{error('cron')}</span>}
        </label>
      )}
      {repeat !== 'once' && (
        <label className={`field ${error('endDate') ? 'field-error' : ''}`} htmlFor={`${id}-end`}>
          <span className="field-label">{t('schedules:field.endDate')}</span>
          <DatePicker
            id={`${id}-end`}
            value={pickerValue(value.endDate)}
            onChange={(day) => set({ endDate: day ? day.format('YYYY-MM-DD') : undefined })}
            data-testid="schedule-end"
          />
          {error('endDate') && <span className="field-message">{error('endDate')}</span>}
        </label>
      )}
      <label className="field">
        <span className="field-label">{t('schedules:field.timeZone')}</span>
        <select value={zone} onChange={(e) => set({ timeZone: e.target.value })} data-testid="schedule-zone">
          {(ZONES.includes(zone) ? ZONES : [zone, ...ZONES]).map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </label>
      <div className="field" data-testid="schedule-next-runs">
        <span className="field-label">{t('schedules:field.nextRuns', { count: SHOWN, zone })}</span>
        {runs === undefined ? (
          <span className="muted">{t('schedules:field.fixToSeeRuns')}</span>
        ) : runs.length === 0 ? (
          <span className="warn">{t('schedules:field.noRunsAhead')}</span>
        ) : (
          <ol className="run-times">
            {runs.map((r) => (
              <li key={r} className="mono">
                {r}
              </li>
            ))}
          </ol>
        )}
      </div>
    </fieldset>
  );
}
