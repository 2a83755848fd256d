import { type LocalizedText, t } from './i18n.ts';

/** The parts of a zod issue read here (zod v4's issue shapes, loosely). */
export interface ZodIssueLike {
  code: string;
  message: string;
  input?: unknown;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  exact?: boolean;
  format?: string;
  divisor?: number | bigint;
  keys?: string[];
}

const CJK = /[\u4e00-\u9fff]/;

/**
 * A message a schema wrote itself in both languages, "中文 / English" (the node packages'
 * convention: zod messages are single strings), split into its two halves; undefined otherwise.
 */
export function splitBilingual(message: string): LocalizedText | undefined {
  const match = /^(.*?)\s*\/\s+(.+)$/s.exec(message);
  if (!match) return undefined;
  const [, zh = '', en = ''] = match;
  if (!CJK.test(zh) || !/^[\s"'(]*[A-Za-z]/.test(en)) return undefined;
  return t(zh.trim(), en.trim());
}

const TYPE_WORDS: Record<string, LocalizedText> = {
  number: t('请输入数字', 'Enter a number'),
  int: t('请输入整数', 'Enter a whole number'),
  string: t('请输入文字', 'Enter text'),
  boolean: t('请选择是或否', 'Choose yes or no'),
  array: t('请添加列表项', 'Add a list of items'),
  object: t('请填写这组设置', 'Fill in these settings'),
  date: t('请输入日期', 'Enter a date'),
};

const REQUIRED = t('请填写此项', 'This field is required');

function isMissing(issue: ZodIssueLike): boolean {
  if ('input' in issue) return issue.input === undefined || issue.input === null;
  // The server's zod (English messages) names what it got.
  return /received (undefined|null)/.test(issue.message);
}

function tooSmall(issue: ZodIssueLike): LocalizedText {
  const n = String(issue.minimum);
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint':
      return issue.inclusive
        ? t(`请输入不小于 ${n} 的数字`, `Enter a number of at least ${n}`)
        : t(`请输入大于 ${n} 的数字`, `Enter a number greater than ${n}`);
    case 'string':
      if (Number(issue.minimum) <= 1) return REQUIRED;
      return t(`请至少输入 ${n} 个字`, `Enter at least ${n} characters`);
    case 'array':
    case 'set':
      return t(`请至少添加 ${n} 项`, `Add at least ${n} item(s)`);
    case 'date':
      return t('日期太早了', 'The date is too early');
    default:
      return t('数值太小', 'The value is too small');
  }
}

function tooBig(issue: ZodIssueLike): LocalizedText {
  const n = String(issue.maximum);
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint':
      return issue.inclusive
        ? t(`请输入不大于 ${n} 的数字`, `Enter a number of at most ${n}`)
        : t(`请输入小于 ${n} 的数字`, `Enter a number less than ${n}`);
    case 'string':
      return t(`最多输入 ${n} 个字`, `Use at most ${n} characters`);
    case 'array':
    case 'set':
      return t(`最多 ${n} 项`, `At most ${n} item(s)`);
    case 'date':
      return t('日期太晚了', 'The date is too late');
    default:
      return t('数值太大', 'The value is too large');
  }
}

function badFormat(issue: ZodIssueLike): LocalizedText {
  switch (issue.format) {
    case 'email':
      return t('请输入有效的邮箱地址', 'Enter a valid email address');
    case 'url':
      return t('请输入有效的网址（如 https://…）', 'Enter a valid web address (like https://…)');
    case 'datetime':
    case 'date':
      return t('请输入有效的日期时间', 'Enter a valid date and time');
    default:
      return t('格式不正确', 'This is not in the expected format');
  }
}

/**
 * A zod issue in plain words, in both languages: "请输入大于 0 的数字" / "Enter a number greater than
 * 0", not zod's developer wording ("数值过小：期望 number >0"). A schema's own message wins: written
 * in both languages ("中文 / English") it is split; written in one it is kept for both.
 */
export function zodIssueText(issue: ZodIssueLike): LocalizedText {
  const own = splitBilingual(issue.message);
  if (own) return own;
  switch (issue.code) {
    case 'invalid_type':
      if (isMissing(issue)) return REQUIRED;
      return TYPE_WORDS[issue.expected ?? ''] ?? t('填写的内容类型不对', 'This value has the wrong type');
    case 'too_small':
      return tooSmall(issue);
    case 'too_big':
      return tooBig(issue);
    case 'invalid_format':
      return badFormat(issue);
    case 'not_multiple_of':
      return t(`请输入 ${String(issue.divisor)} 的倍数`, `Enter a multiple of ${String(issue.divisor)}`);
    case 'invalid_value':
      return t('请从选项中选择一项', 'Choose one of the options');
    case 'unrecognized_keys':
      return t(
        `无法识别的设置：${(issue.keys ?? []).join('、')}`,
        `Unknown setting(s): ${(issue.keys ?? []).join(', ')}`,
      );
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
      return t('填写的内容不符合要求', 'This value is not valid');
    default:
      return t(issue.message, issue.message);
  }
}
