// Pickers for config fields that name something stored on the server: channels, saved segments,
// coupon stocks, WeCom staff (by name, from the staff directory), and event types. They read the options over tRPC; without a server (the local
// editor) or before the options arrive they fall back to typing the id, so a form never blocks.
import { KNOWN_EVENT_TYPES, type Locale } from '@siyu/shared';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useContext } from 'react';
import { EditorContext } from '../app/editor-context.ts';
import { useLocale } from '../app/i18n.ts';
import { PICKER_OPTIONS_KEY, REFRESH_ON_RETURN } from '../app/kit/query.ts';
import { listText } from '../app/list-format.ts';
import { NEW_COUPON_BATCH_HREF } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { channelVariantName } from '../channels/model.ts';
import { channelName } from '../pages/channel-name.ts';
import { messageChannels } from './message-channels.ts';

interface Option {
  id: string;
  /** Worded when shown, in the language of the moment (the options are cached across switches). */
  label: (t: TFunction, locale: Locale) => string;
}

type SingleKind = 'segment' | 'couponStock' | 'wecomUser';

const loaders: Record<'channels' | SingleKind, () => Promise<Option[]>> = {
  channels: async () =>
    (await api.channels.list.query()).map((c) => ({
      id: c.id,
      label: (t, locale) =>
        t('inspector:pickers.channelOption', {
          name: c.name,
          variants: listText(
            c.codes.map((code) => channelVariantName(code.variant, locale)),
            locale,
          ),
        }),
    })),
  segment: async () => (await api.audiences.segments.query()).map((s) => ({ id: s.id, label: () => s.name })),
  wecomUser: async () =>
    (await api.wecom.staff.query()).map((m) => ({
      id: m.userId,
      label: (t) => (m.active ? m.name : `${m.name} ${t('app:staff.inactive')}`),
    })),
  couponStock: async () =>
    (await api.coupons.stocks.query()).map((s) => ({
      id: s.id,
      label: (t) =>
        t('inspector:pickers.stockOption', {
          name: s.name,
          amount: (s.amountCents / 100).toFixed(2),
          remaining: s.remaining,
        }),
    })),
};

/**
 * Options of one kind, loaded once per page for every field showing them (react-query's cache) and
 * again when the tab regains focus; undefined without a server or until loaded.
 */
function useOptions(kind: keyof typeof loaders): Option[] | undefined {
  return useQuery({ queryKey: [PICKER_OPTIONS_KEY, kind], queryFn: loaders[kind], ...REFRESH_ON_RETURN }).data;
}

export const PICKER_WIDGETS = new Set([
  'channels',
  'segment',
  'couponStock',
  'wecomUser',
  'eventType',
  'messageChannel',
]);

interface PickerProps {
  widget: string;
  value: unknown;
  onChange: (value: unknown) => void;
}

export function PickerField(props: PickerProps) {
  if (props.widget === 'eventType') return <EventTypePicker {...props} />;
  if (props.widget === 'channels') return <ChannelsPicker {...props} />;
  if (props.widget === 'messageChannel') return <MessageChannelPicker {...props} />;
  return <SinglePicker {...props} kind={props.widget as SingleKind} />;
}

function EventTypePicker({ value, onChange }: PickerProps) {
  const { loc } = useLocale();
  const listId = 'known-event-types';
  return (
    <>
      <input
        list={listId}
        value={String(value ?? '')}
        onChange={(e) => onChange(e.target.value)}
        placeholder="order.placed"
        data-picker="eventType"
      />
      <datalist id={listId}>
        {Object.entries(KNOWN_EVENT_TYPES).map(([type, label]) => (
          <option key={type} value={type}>
            {loc(label)}
          </option>
        ))}
      </datalist>
    </>
  );
}

function SinglePicker({ value, onChange, kind }: PickerProps & { kind: SingleKind }) {
  const { t, locale } = useLocale();
  const options = useOptions(kind);
  const current = String(value ?? '');
  // No staff directory yet (WeCom not synced): the userid is typed, as before there was one.
  if (!options || (kind === 'wecomUser' && options.length === 0))
    return <input value={current} onChange={(e) => onChange(e.target.value || undefined)} data-picker={kind} />;
  const select = (
    <select value={current} onChange={(e) => onChange(e.target.value || undefined)} data-picker={kind}>
      <option value="">{t('inspector:pickers.choose')}</option>
      {/* A template's or a deleted one: named as missing (not by its id) until another is chosen. */}
      {current && !options.some((o) => o.id === current) && (
        <option value={current}>
          {kind === 'wecomUser'
            ? t('inspector:pickers.staffNotListed', { userId: current })
            : t('inspector:pickers.doesNotExistChooseAnother')}
        </option>
      )}
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.label(t, locale)}
        </option>
      ))}
    </select>
  );
  if (kind !== 'couponStock') return select;
  // Batches are made on their own page: the link opens it with the form ready (in a new tab, so
  // the journey stays open; coming back here picks up the new batch on the next load).
  return (
    <span className="credential-picker">
      {select}{' '}
      <a href={NEW_COUPON_BATCH_HREF} target="_blank" rel="noopener" data-testid="new-coupon-batch">
        {t('resources:coupons.newBatch')}
      </a>
    </span>
  );
}

function ChannelsPicker({ value, onChange }: PickerProps) {
  const { t, locale } = useLocale();
  const options = useOptions('channels');
  const chosen = Array.isArray(value) ? (value as string[]) : [];
  if (!options) {
    return (
      <input
        value={chosen.join(',')}
        placeholder={t('inspector:pickers.channelIdsCommaSeparated')}
        onChange={(e) =>
          onChange(
            e.target.value
              .split(/[,，]/)
              .map((s) => s.trim())
              .filter(Boolean),
          )
        }
      />
    );
  }
  // Chosen ids the workspace does not have (a template's, an archived channel) stay visible and
  // can be unticked; otherwise they would hide in the config and fail at publish.
  const missing = chosen.filter((id) => !options.some((o) => o.id === id));
  if (options.length === 0 && missing.length === 0)
    return <span className="muted">{t('inspector:pickers.noChannelsYetCreateOne')}</span>;
  return (
    <div className="checkbox-list" data-picker="channels">
      {missing.map((id, i) => (
        <label key={`missing-${id}`} className="missing" data-missing-channel={i}>
          <input type="checkbox" checked onChange={() => onChange(chosen.filter((c) => c !== id))} />
          {t('inspector:pickers.aChannelThatDoesNot')}
        </label>
      ))}
      {options.map((o) => (
        <label key={o.id}>
          <input
            type="checkbox"
            checked={chosen.includes(o.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o.id] : chosen.filter((id) => id !== o.id))}
          />
          {o.label(t, locale)}
        </label>
      ))}
    </div>
  );
}

/** The channel a frequency cap counts, by name (短信, 企业微信), from the channels the installed nodes send on. */
function MessageChannelPicker({ value, onChange }: PickerProps) {
  const { t, locale } = useLocale();
  const editor = useContext(EditorContext);
  const current = typeof value === 'string' ? value : '';
  const definitions = editor?.registry.list() ?? [];
  return (
    <select value={current} onChange={(e) => onChange(e.target.value)} data-picker="messageChannel">
      {!current && <option value="">{t('inspector:pickers.choose')}</option>}
      {messageChannels(definitions, current).map((channel) => (
        <option key={channel} value={channel}>
          {channelName(channel, locale, editor?.registry.packages ?? [])}
        </option>
      ))}
    </select>
  );
}
