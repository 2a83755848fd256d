// What the channel screens compute, kept apart from React so it is tested directly: kind names,
// per-channel totals from the channel report's per-code rows, the create/add-code input built from
// the form, and the server's input errors mapped onto the form's fields.
import { DEFAULT_VARIANT, type Locale, type LocalizedText } from '@siyu/shared';
import type { api } from '../app/server-api.ts';
import { tFor } from '../locales/catalogs.ts';

export type ChannelKind = 'packageCard' | 'liveCode' | 'smsLink' | 'storePoster';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['packageCard', 'liveCode', 'smsLink', 'storePoster'];

/** A kind's name (the `channels` catalog's `model.kinds.*`); an unknown kind shows as its code. */
export const kindName = (kind: string, locale: Locale) =>
  tFor(locale)(`channels:model.kinds.${kind}`, { defaultValue: kind });

/**
 * A channel variant as the operator reads it. A code created through the API without a variant is
 * stored as "default" (the column's default): that word is a stored value, shown as 默认方案 / Default.
 */
export const channelVariantName = (variant: string | null | undefined, locale: Locale) =>
  variant === DEFAULT_VARIANT ? tFor(locale)('channels:model.defaultVariant') : (variant ?? '');

/** What "delivered" (the recall denominator) means for each kind (`model.delivered.*`). */
export const deliveredName = (kind: string, locale: Locale) => {
  const t = tFor(locale);
  return t(`channels:model.delivered.${kind}`, { defaultValue: '' }) || t('channels:model.delivered.other');
};

type ChannelsReport = Awaited<ReturnType<typeof api.reports.channels.query>>;

export interface Numbers {
  /** Recorded on the codes plus SMS sent carrying their links (the report's definition). */
  delivered: number;
  /** The SMS part of `delivered`. */
  smsSent: number;
  scans: number;
  /** Customers who came in through the code; for a channel, through any of its codes (each once). */
  cameIn: number;
  /** cameIn ÷ delivered; null when nothing was delivered. */
  recallRate: number | null;
}

/**
 * The channel report's rows per code, and their totals per channel. A channel's came-in is the
 * report's distinct count over its codes (a customer who came in through two of its codes counts
 * once), so its recall is not inflated.
 */
export function channelNumbers(report: Pick<ChannelsReport, 'rows' | 'channelCameIn'> | undefined): {
  byCode: Map<string, Numbers>;
  byChannel: Map<string, Numbers>;
} {
  const byCode = new Map<string, Numbers>();
  const byChannel = new Map<string, Numbers>();
  const distinctCameIn = new Map(report?.channelCameIn.map((c) => [c.channelId, c.cameIn]));
  for (const r of report?.rows ?? []) {
    const { delivered, smsSent, scans, cameIn, recallRate } = r;
    byCode.set(r.code, { delivered, smsSent, scans, cameIn, recallRate });
    const total = byChannel.get(r.channelId) ?? { delivered: 0, smsSent: 0, scans: 0, cameIn: 0, recallRate: null };
    total.delivered += r.delivered;
    total.smsSent += r.smsSent;
    total.scans += r.scans;
    total.cameIn = distinctCameIn.get(r.channelId) ?? 0;
    total.recallRate = total.delivered > 0 ? total.cameIn / total.delivered : null;
    byChannel.set(r.channelId, total);
  }
  return { byCode, byChannel };
}

/** One variant (one entry code) as typed in a form: every field is text until sent. */
export interface CodeDraft {
  variant: string;
  code: string;
  targetUrl: string;
  delivered: string;
}

export interface ChannelDraft {
  name: string;
  kind: ChannelKind;
  codes: CodeDraft[];
}

export const codeDraft = (variant: string): CodeDraft => ({ variant, code: '', targetUrl: '', delivered: '' });

/** "A", "B", … the first letter no variant uses yet (then "V27", …). */
export function nextVariantName(used: readonly string[]): string {
  const taken = new Set(used.map((v) => v.trim()));
  for (let i = 0; i < 26; i++) {
    const name = String.fromCharCode(65 + i);
    if (!taken.has(name)) return name;
  }
  let n = 27;
  while (taken.has(`V${n}`)) n++;
  return `V${n}`;
}

/**
 * The API input for one code. Empty optional fields are left out (the server generates the code);
 * the rest goes as typed, so the server's schema (the one source of the rules) judges it: a
 * non-number delivered count becomes null and is refused on its field.
 */
export function codeInput(d: CodeDraft) {
  return {
    variant: d.variant,
    ...(d.code.trim() ? { code: d.code.trim() } : {}),
    ...(d.targetUrl.trim() ? { targetUrl: d.targetUrl.trim() } : {}),
    // NaN travels as JSON null, which the server refuses on `delivered`.
    delivered: d.delivered.trim() === '' ? 0 : Number(d.delivered),
  };
}

export const createInput = (d: ChannelDraft) => ({ name: d.name, kind: d.kind, codes: d.codes.map(codeInput) });

interface ServerIssue {
  path: string;
  message: string;
  text?: LocalizedText;
}

export interface FormErrors {
  /** Messages by the input's path (`name`, `codes[1].code`), for the fields the form shows. */
  fields: Record<string, string>;
  /** Everything else: issues on fields the form does not show, or the error itself. */
  message: string;
}

/**
 * The server's answer to bad input: tRPC errors carry zod's issues as `data.issues` ({path,
 * message}); each lands on its field when the form has one (`known`), the rest in `message`.
 */
export function formErrors(error: unknown, known: (path: string) => boolean, locale: Locale): FormErrors {
  const issues = (error as { data?: { issues?: ServerIssue[] } } | null)?.data?.issues;
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of issues ?? []) {
    // The server words each issue in both languages (`text`); an older server sent only `message`.
    const words = issue.text?.[locale] ?? pickLanguage(issue.message, locale);
    if (known(issue.path)) fields[issue.path] ??= words;
    else other.push(`${issue.path}: ${words}`);
  }
  const message = issues?.length ? other.join('\n') : error instanceof Error ? error.message : String(error);
  return { fields, message };
}

/** The qrCodes procedure's SVG text as an <img> source: drawn as an image, never parsed into the page. */
export const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** The channel report over all time (its `to` is the largest epoch the API accepts): a channel's lifetime numbers. */
export const ALL_TIME = { from: 0, to: 8.64e15, windowDays: 7 } as const;

const HAN = /\p{Script=Han}/u;

/**
 * Server messages are written "中文 / English" (the API serves both languages); show the half in
 * the UI language. Anything else (one language, several slashes) is shown as it is.
 */
export function pickLanguage(message: string, locale: Locale): string {
  const parts = message.split(' / ');
  if (parts.length !== 2) return message;
  const [zh, en] = parts as [string, string];
  if (!HAN.test(zh) || HAN.test(en)) return message;
  return locale === 'en' ? en : zh;
}

export const NO_ERRORS: FormErrors = { fields: {}, message: '' };
