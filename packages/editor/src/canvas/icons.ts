/** Node definitions name an icon; the editor draws it. Unknown names fall back to the category's. */
const ICONS: Record<string, string> = {
  door: '🚪',
  entry: '🚪',
  qrcode: '🔳',
  qr: '🔳',
  event: '⚡',
  bolt: '⚡',
  users: '👥',
  audience: '👥',
  api: '🔌',
  clock: '⏱️',
  wait: '⏱️',
  calendar: '📅',
  hourglass: '⏳',
  branch: '🔀',
  split: '🔀',
  ab: '🧪',
  random: '🎲',
  tag: '🏷️',
  tags: '🏷️',
  user: '👤',
  attributes: '📝',
  goal: '🎯',
  target: '🎯',
  flag: '🏁',
  exit: '🏁',
  webhook: '🔗',
  link: '🔗',
  task: '✅',
  staff: '🧑‍💼',
  sms: '💬',
  message: '💬',
  wecom: '💼',
  welcome: '👋',
  group: '👨‍👩‍👧',
  mass: '📣',
  megaphone: '📣',
  coupon: '🎟️',
  ticket: '🎟️',
  gift: '🎁',
};
const CATEGORY_ICONS: Record<string, string> = {
  entry: '🚪',
  flow: '🔀',
  message: '💬',
  customer: '👤',
  offer: '🎟️',
  integration: '🔗',
  goal: '🎯',
};

/** A glyph a node package gave directly (🎁, 🧑‍💼, 1️⃣): any pictographic or keycap emoji sequence. */
const EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)/u;

export function iconFor(icon: string, category: string): string {
  const name = icon.trim();
  if (EMOJI.test(name)) return name;
  return ICONS[name] ?? ICONS[name.toLowerCase().split(/[-_.]/)[0] ?? ''] ?? CATEGORY_ICONS[category] ?? '◻️';
}

export const CATEGORY_COLORS: Record<string, string> = {
  entry: '#16a34a',
  flow: '#7c3aed',
  message: '#2563eb',
  customer: '#0891b2',
  offer: '#ea580c',
  integration: '#475569',
  goal: '#db2777',
};
