import { type LocalizedText, t } from './i18n.ts';

type Params = Record<string, string | number>;
const word = (p: { what?: string }) => p.what ?? 'record';

/** The things an error can name, in words (`common.notFound` says "Journey j1 not found"). */
const THINGS: Record<string, LocalizedText> = {
  journey: t('旅程', 'Journey'),
  template: t('模板', 'Template'),
  version: t('版本', 'Version'),
  segment: t('分群', 'Segment'),
  channel: t('渠道', 'Channel'),
  instance: t('运行', 'Run'),
  customer: t('客户', 'Customer'),
  credential: t('凭据', 'Credential'),
  coupon: t('优惠券', 'Coupon'),
  staffTask: t('员工任务', 'Staff task'),
  entryCode: t('入口码', 'Entry code'),
  operator: t('操作员', 'Operator'),
};
const thing = (key: string): LocalizedText => THINGS[key] ?? t(key, key);

/**
 * Every error the API answers an operator with, by code, with its words in each locale. The server
 * sends the code and its parameters (`data.error` of a tRPC error) and the English words as the
 * plain `message` for API clients; the editor words the code in the operator's language.
 */
export const API_ERROR_MESSAGES = {
  'common.notFound': (p: { what: string; id: string }) =>
    t(`${thing(p.what)['zh-CN']}「${p.id}」不存在`, `${thing(p.what).en} "${p.id}" not found`),
  'common.internal': (p: { requestId: string }) =>
    t(
      `服务器出错了，请稍后再试${p.requestId ? `（请求编号 ${p.requestId}）` : ''}`,
      `Something went wrong on the server; try again later${p.requestId ? ` (request ${p.requestId})` : ''}`,
    ),
  'common.inputTooDeep': (p: { max: number }) =>
    t(`提交的内容嵌套超过 ${p.max} 层`, `The input nests deeper than ${p.max} levels`),
  'record.notFound': (p: { what?: string }) => t(`记录不存在（${word(p)}）`, `${word(p)} not found`),
  'record.missingReference': (p: { what?: string }) =>
    t(`引用的记录不存在（${word(p)}）`, `${word(p)} refers to a missing record`),
  'record.exists': (p: { what?: string; fields: string }) =>
    t(
      `已存在相同的记录（${word(p)}${p.fields ? `：${p.fields}` : ''}）`,
      `${word(p)}${p.fields ? ` (${p.fields})` : ''} already exists`,
    ),
  'auth.signInRequired': () => t('请先登录', 'Please sign in'),
  'auth.signInOrKey': () => t('请先登录或提供 API 密钥', 'Sign in or send an API key'),
  'auth.apiKeyNotAllowed': () => t('API 密钥不能调用此接口', 'API keys cannot call this procedure'),
  'auth.roleRequired': (p: { role: string }) =>
    t(`需要「${roleWord(p.role)['zh-CN']}」权限`, `Needs the ${roleWord(p.role).en} role`),
  'auth.keyLacksScope': (p: { scope: string }) =>
    t(`API 密钥缺少权限 ${p.scope}`, `The API key lacks the scope ${p.scope}`),
  'auth.wrongPassword': () => t('用户名或密码错误', 'Wrong username or password'),
  'auth.currentPasswordWrong': () => t('当前密码错误', 'The current password is wrong'),
  'auth.throttled': (p: { seconds: number }) =>
    t(`尝试次数过多，请 ${p.seconds} 秒后再试`, `Too many sign-in attempts; try again in ${p.seconds} seconds`),
  'operators.usernameTaken': (p: { username: string }) =>
    t(`用户名「${p.username}」已存在`, `The username "${p.username}" is taken`),
  'operators.usernameReserved': (p: { username: string }) =>
    t(
      `用户名「${p.username}」为系统保留（示例模板以此名义载入），请换一个`,
      `The username "${p.username}" is reserved (the example templates are loaded under it); choose another`,
    ),
  'journeys.templateKeyReserved': (p: { prefix: string }) =>
    t(
      `templateKey 不能以「${p.prefix}」开头：该前缀只用于随产品附带的示例模板`,
      `templateKey cannot start with "${p.prefix}": that prefix is kept for the example templates shipped with the product`,
    ),
  'operators.notYourself': () => t('不能停用或降级自己', 'You cannot disable or demote yourself'),
  'operators.lastAdmin': (p: { username: string }) =>
    t(
      `「${p.username}」是最后一位启用中的管理员，不能停用或降级（请先让另一位操作员成为管理员）`,
      `"${p.username}" is the last active admin and cannot be disabled or demoted (make another operator an admin first)`,
    ),
  'auth.accountDisabled': () => t('此账号已停用，请联系管理员', 'This account is disabled; ask an admin to enable it'),
  'auth.inviteInvalid': () =>
    t(
      '设置密码的链接无效、已使用或已过期，请让管理员重新生成',
      'This set-password link is invalid, used or expired; ask an admin for a new one',
    ),
  'journey.neverPublished': () => t('旅程尚未发布', 'The journey was never published'),
  'journey.archived': () => t('旅程已归档', 'The journey is archived'),
  'journey.draftChanged': () =>
    t('草稿已被他人修改，请刷新后再保存', 'The draft changed since you loaded it; reload before saving'),
  'journey.draftChangedTo': (p: { revision: number }) =>
    t(
      `草稿已被他人修改（当前为第 ${p.revision} 版），请刷新后再保存`,
      `The draft was changed by someone else (revision ${p.revision}); reload before saving`,
    ),
  'journey.badStatus': (p: { status: string; to: string }) =>
    t(
      `旅程当前为「${statusWord(p.status)['zh-CN']}」，不能改为「${statusWord(p.to)['zh-CN']}」`,
      `The journey is ${statusWord(p.status).en}; it cannot become ${statusWord(p.to).en}`,
    ),
  'journey.hasProblems': (p: { count: number }) =>
    t(
      `旅程有 ${p.count} 个问题，请在问题面板中修正后再发布`,
      `The journey has ${p.count} problem(s); fix them in the problems panel, then publish`,
    ),
  'journey.targetNodeMissing': (p: { nodes: string }) =>
    t(`目标版本中没有这些节点：${p.nodes}`, `The target version has no node ${p.nodes}`),
  'journey.testRunsUnavailable': () => t('此服务器不支持试运行', 'Test runs are not available on this server'),
  'journey.testCustomerNotEnrolled': (p: { reason: string }) =>
    t(`测试客户未能进入旅程：${p.reason}`, `The test customer did not enter: ${p.reason}`),
  'runs.retryNotFound': () => t('运行不存在', 'Run not found'),
  'runs.retryNotFailedHere': () =>
    t('该运行不是因这一步失败而结束的，无需重试', 'This run did not end because of a failed step'),
  'runs.retryJourneyNotLive': () => t('旅程未在运行，恢复后再重试', 'The journey is not live: resume it, then retry'),
  'runs.retryInJourneyAgain': () => t('客户已重新进入该旅程', 'The customer is in this journey again'),
  'customer.erased': () => t('客户已删除', 'The customer was erased'),
  'customer.noIdentity': (p: { kind: string }) =>
    t(`客户没有${identityWord(p.kind)['zh-CN']}`, `The customer has no ${identityWord(p.kind).en}`),
  'journey.dryRunBusy': () =>
    t('另一个预演正在进行，请稍后再试', 'Another dry run is in progress; try again in a moment'),
  'engine.unknownCustomer': (p: { id: string }) => t(`找不到客户「${p.id}」`, `No customer "${p.id}"`),
  'engine.noEntryNode': (p: { node: string }) =>
    p.node
      ? t(`旅程中没有入口节点「${p.node}」`, `The journey has no entry node "${p.node}"`)
      : t('旅程有多个入口，请指定从哪个入口进入', 'The journey has several entries: say which one to enter by'),
  'engine.invalidEvent': (p: { issues: string }) => t(`事件无效：${p.issues}`, `Invalid event: ${p.issues}`),
  'customers.exportQueryInvalid': (p: { issues: string }) =>
    t(`导出条件无效：${p.issues}`, `The export's query is invalid: ${p.issues}`),
  'import.fileEmpty': () => t('文件是空的', 'The file is empty'),
  'import.notText': () =>
    t(
      '文件不是 CSV 文本或 .xlsx（含二进制内容，可能是 .xls 或其他格式），请另存为“CSV UTF-8”或 .xlsx',
      'The file is neither CSV text nor .xlsx (it holds binary data: an old .xls or another format?); save it as CSV UTF-8 or .xlsx',
    ),
  'import.encoding': (p: { readAs: string }) =>
    t(
      `无法识别文件编码（按 ${p.readAs} 读取表头为乱码），请另存为“CSV UTF-8”或 .xlsx`,
      `Cannot tell the file's text encoding (read as ${p.readAs}, the header is garbled); save it as "CSV UTF-8" or .xlsx`,
    ),
  'import.tooManyRows': (p: { max: number; sheet?: string }) =>
    p.sheet
      ? t(
          `工作表「${p.sheet}」超过 ${p.max} 行，请拆分文件`,
          `Sheet ${p.sheet} has more than ${p.max} rows; split the file`,
        )
      : t(`文件超过 ${p.max} 行，请拆分`, `The file has more than ${p.max} rows; split it`),
  'import.unclosedQuote': (p: { row: number }) =>
    t(
      `第 ${p.row} 行有一个没有闭合的引号：从这里到文件末尾都会被读成一个单元格。请检查该行（单元格里的 " 要写成 ""），或另存为 .xlsx`,
      `Row ${p.row} has a quote that is never closed: everything from there to the end of the file would be read as one cell. Check that row (a " inside a cell is written ""), or save the file as .xlsx`,
    ),
  'import.malformedQuote': (p: { row: number }) =>
    t(
      `第 ${p.row} 行有一个引号不成对：带引号的单元格在闭合引号后还有文字（如 "李"四），之后的行会被并进这个单元格而丢失。请检查该行（单元格里的 " 要写成 ""），或另存为 .xlsx`,
      `Row ${p.row} has a stray quote: a quoted cell goes on after its closing quote (like "Li"si), and the rows after it would be merged into that cell and lost. Check that row (a " inside a cell is written ""), or save the file as .xlsx`,
    ),
  'import.notXlsx': (p: { why: string }) =>
    t(`文件不是有效的 Excel (.xlsx) 文件：${p.why}`, `The file is not a valid Excel .xlsx file: ${p.why}`),
  'import.unreadableXlsx': (p: { why: string }) =>
    t(`无法读取 Excel 文件：${p.why}`, `Cannot read the .xlsx file: ${p.why}`),
  'import.tooLarge': (p: { maxMb: number; mb: number }) =>
    t(
      `Excel 文件解压后超过 ${p.maxMb} MB（至少 ${p.mb} MB），请拆分或另存为 CSV`,
      `The .xlsx expands to more than ${p.maxMb} MB (${p.mb} MB or more); split it or save it as CSV`,
    ),
  'import.mappingFlag': (p: { flag: string }) =>
    t(
      `列映射「${p.flag}」应写成 列名=字段，例如 手机=phone`,
      `Column mapping "${p.flag}" should read column=field, e.g. Tel=phone`,
    ),
  'import.mappingField': (p: { column: string; field: string }) =>
    t(
      `列「${p.column}」的字段「${p.field}」无效：可选 phone、name、tags、externalId、wecomExternalUserId、orderId、amount、orderedAt、ignore 或 attribute:属性名`,
      `Column "${p.column}": "${p.field}" is not a field; use phone, name, tags, externalId, wecomExternalUserId, orderId, amount, orderedAt, ignore or attribute:<name>`,
    ),
  'import.mappingUnknownColumn': (p: { column: string; columns: string }) =>
    t(
      `文件中没有列「${p.column}」（文件的列：${p.columns}）`,
      `The file has no column "${p.column}" (its columns: ${p.columns})`,
    ),
  'import.mappingTwice': (p: { field: string; first: string; second: string }) =>
    t(
      `列「${p.first}」和「${p.second}」都映射到了 ${p.field}，只能选一列`,
      `Columns "${p.first}" and "${p.second}" are both mapped to ${p.field}; choose one`,
    ),
  'import.unknownSheet': (p: { sheet: string; sheets: string }) =>
    t(
      `文件中没有工作表「${p.sheet}」（有：${p.sheets}）`,
      `The workbook has no sheet "${p.sheet}" (it has: ${p.sheets})`,
    ),
  'import.presetUnknown': (p: { name: string; known: string }) =>
    p.known
      ? t(
          `没有名为「${p.name}」的列映射（已有：${p.known}）`,
          `No column mapping named "${p.name}" (saved: ${p.known})`,
        )
      : t(`没有名为「${p.name}」的列映射（还没有保存过）`, `No column mapping named "${p.name}" (none saved yet)`),
  'import.batchUnknown': (p: { id: string }) => t(`没有这次导入（${p.id}）`, `No import ${p.id}`),
  'import.undoEntered': (p: { count: number }) =>
    t(
      `不能撤销：这次导入的客户中已有 ${p.count} 位进入了旅程`,
      `Cannot undo: ${p.count} of this import's customers have already entered a journey`,
    ),
  'import.undoNotCommitted': (p: { status: string }) =>
    t(
      `只能撤销已完成的导入（这次导入的状态：${p.status}）`,
      `Only a finished import can be undone (this one is ${p.status})`,
    ),
  'channels.codeTaken': (p: { code: string }) =>
    t(`渠道码「${p.code}」已被使用`, `The code "${p.code}" is already in use`),
  'coupons.stockExists': (p: { id: string }) => t(`券批次「${p.id}」已存在`, `Coupon batch "${p.id}" already exists`),
  'coupons.expired': (p: { id: string }) => t(`优惠券「${p.id}」已过期`, `Coupon "${p.id}" has expired`),
  'coupons.providerFailed': (p: { reason: string }) =>
    t(`券批次未能在服务商处创建：${p.reason}`, `The coupon batch could not be created at the provider: ${p.reason}`),
  'smsTemplates.exists': (p: { templateCode: string }) =>
    t(`模板编号「${p.templateCode}」已登记`, `Template code "${p.templateCode}" is already registered`),
  'abTest.noSplit': (p: { node: string }) =>
    t(`草稿中没有这个 A/B 测试节点（${p.node}）`, `The draft has no A/B split node ${p.node}`),
  'abTest.noVariant': (p: { node: string; variant: string }) =>
    t(`A/B 测试中没有方案「${p.variant}」`, `The A/B split ${p.node} has no variant "${p.variant}"`),
  'abTest.notAhead': (p: { variant: string; leader: string }) =>
    t(
      `方案「${p.variant}」没有领先（领先的是「${p.leader}」）`,
      `Variant "${p.variant}" is not ahead ("${p.leader}" is)`,
    ),
  'abTest.noLeader': (p: { variant: string }) =>
    t(`还没有领先的方案，无法推广「${p.variant}」`, `No variant is ahead yet: "${p.variant}" cannot be promoted`),
  'abTest.unpublishedEdits': (p: { edits: number }) =>
    t(
      `草稿有 ${p.edits} 处未发布的修改，请先发布或撤销后再推广胜出方案`,
      `The draft has ${p.edits} unpublished edit(s): publish or discard them before promoting a winner`,
    ),
  'credentials.invalidFields': () => t('凭据的字段有误，请检查标出的字段', 'Some credential fields are invalid'),
  'credentials.unknownType': (p: { type: string }) =>
    t(`未知的凭据类型「${p.type}」`, `Unknown credential type "${p.type}"`),
  'credentials.typeNotInstalled': (p: { type: string }) =>
    t(`凭据类型「${p.type}」的节点包未安装`, `The credential type "${p.type}" is not installed`),
  'credentials.inUse': (p: { journeys: string }) =>
    t(
      `凭据仍被旅程 ${p.journeys} 使用，请先在旅程中更换`,
      `The credential is still used by journey(s) ${p.journeys}; replace it there first`,
    ),
  'outcomes.stepGone': () => t('这一步已不存在', 'This step no longer exists'),
  'outcomes.alreadyDecided': () => t('这一步已经有人处理过了，请刷新', 'Someone has already decided this step; reload'),
  'wecom.sameStaff': () => t('交接双方不能是同一位员工', 'Hand over to a different staff member'),
  'wecom.notOwned': (p: { from: string; customers: string }) =>
    t(`这些客户不属于 ${p.from}：${p.customers}`, `These customers are not owned by ${p.from}: ${p.customers}`),
  'wecom.sandboxOnly': () => t('仅沙箱模式可用', 'Available in sandbox mode only'),
  'wecom.staffSyncFailed': (p: { reason: string }) =>
    t(`未能从企业微信读取员工名单：${p.reason}`, `Could not read the staff list from WeCom: ${p.reason}`),
  'staffTasks.expired': (p: { at: string }) => t(`任务已于 ${p.at} 过期`, `The staff task expired at ${p.at}`),
} satisfies Record<string, (params: never) => LocalizedText>;

export type ApiErrorKey = keyof typeof API_ERROR_MESSAGES;
export type ApiErrorParams<K extends ApiErrorKey> = Parameters<(typeof API_ERROR_MESSAGES)[K]>[0] extends infer P
  ? P extends undefined
    ? Record<string, never>
    : P
  : never;

/** What the API sends for an error: its code and the values its words need. */
export interface ApiErrorDetail {
  key: ApiErrorKey;
  params: Params;
}

export function apiErrorDetail<K extends ApiErrorKey>(key: K, params?: ApiErrorParams<K>): ApiErrorDetail {
  return { key, params: (params ?? {}) as Params };
}

/** The words for an error the API sent, or undefined for a code this build does not know. */
export function apiErrorText(detail: { key: string; params?: Params }): LocalizedText | undefined {
  const words = (API_ERROR_MESSAGES as unknown as Record<string, (p: Params) => LocalizedText>)[detail.key];
  return words ? words(detail.params ?? {}) : undefined;
}

/** Reads `data.error` from anything thrown by a tRPC call, if the server sent one. */
export function apiErrorDetailOf(error: unknown): ApiErrorDetail | undefined {
  const detail = (error as { data?: { error?: unknown } } | null)?.data?.error as ApiErrorDetail | undefined;
  return detail && typeof detail.key === 'string' ? detail : undefined;
}

function roleWord(role: string): LocalizedText {
  const roles: Record<string, LocalizedText> = {
    viewer: t('查看者', 'viewer'),
    operator: t('运营', 'operator'),
    admin: t('管理员', 'admin'),
  };
  return roles[role] ?? t(role, role);
}

function statusWord(status: string): LocalizedText {
  const statuses: Record<string, LocalizedText> = {
    draft: t('草稿', 'a draft'),
    live: t('运行中', 'live'),
    paused: t('已暂停', 'paused'),
    stopped: t('已停止', 'stopped'),
    archived: t('已归档', 'archived'),
  };
  return statuses[status] ?? t(status, status);
}

function identityWord(kind: string): LocalizedText {
  const kinds: Record<string, LocalizedText> = {
    phone: t('手机号', 'phone number'),
    email: t('邮箱', 'email address'),
    wecomExternalId: t('企业微信好友关系', 'WeCom contact'),
  };
  return kinds[kind] ?? t(kind, kind);
}

/** The HTTP-like kinds of refusal a coded error may be answered with. */
export type ApiErrorStatus =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'TOO_MANY_REQUESTS';

/**
 * A refusal thrown below the API (a domain operation): its code and parameters, and how the API
 * answers it. The runtime's tRPC layer turns it into an API error carrying the same code.
 */
export class CodedError extends Error {
  readonly detail: ApiErrorDetail;
  constructor(
    readonly status: ApiErrorStatus,
    detail: ApiErrorDetail,
  ) {
    super(apiErrorText(detail)?.en ?? detail.key);
    this.name = 'CodedError';
    this.detail = detail;
  }
}

export function codedError<K extends ApiErrorKey>(
  status: ApiErrorStatus,
  key: K,
  params?: ApiErrorParams<K>,
): CodedError {
  return new CodedError(status, apiErrorDetail(key, params));
}
