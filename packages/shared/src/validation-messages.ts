import { type LocalizedText, t } from './i18n.ts';

/** A port as the node card shows it: its label, or its key when it has none. */
type PortName = string | LocalizedText;
const portWord = (port: PortName): LocalizedText => (typeof port === 'string' ? t(port, port) : port);

/** Every graph problem the validator can report, with its readable message in each locale. */
export const PROBLEM_MESSAGES = {
  duplicateNodeId: (p: { nodeId: string }) => t(`节点 ID「${p.nodeId}」重复`, `Node id "${p.nodeId}" is used twice`),
  unknownNodeType: (p: { type: string }) =>
    t(
      `未知的节点类型「${p.type}」（未安装该节点包？）`,
      `Unknown node type "${p.type}" (is its node package installed?)`,
    ),
  unsupportedNodeVersion: (p: { type: string; detail: string }) =>
    t(
      `节点类型「${p.type}」版本无法升级：${p.detail}`,
      `Node type "${p.type}" version cannot be upgraded: ${p.detail}`,
    ),
  invalidConfig: (p: { path: string; detail: LocalizedText }) =>
    t(`配置项「${p.path}」无效：${p.detail['zh-CN']}`, `Setting "${p.path}" is invalid: ${p.detail.en}`),
  edgeMissingSource: (p: { nodeId: string }) =>
    t(`连线的起点节点「${p.nodeId}」不存在`, `Connection starts at missing node "${p.nodeId}"`),
  edgeMissingTarget: (p: { nodeId: string }) =>
    t(`连线指向不存在的节点「${p.nodeId}」`, `Connection points to missing node "${p.nodeId}"`),
  unknownPort: (p: { port: string }) =>
    t(`连线来自不存在的输出口「${p.port}」`, `Connection leaves from unknown output "${p.port}"`),
  portConnectedTwice: (p: { port: PortName }) =>
    t(
      `输出口「${portWord(p.port)['zh-CN']}」连了多条线，只能连一条`,
      `Output "${portWord(p.port).en}" has more than one connection; it can have only one`,
    ),
  unconnectedOutput: (p: { port: PortName }) =>
    t(`输出口「${portWord(p.port)['zh-CN']}」未连接`, `Output "${portWord(p.port).en}" is not connected`),
  edgeIntoEntry: () => t('入口节点不能有连入的线', 'An entry node cannot have incoming connections'),
  unreachable: () => t('从任何入口都无法到达此节点', 'No entry leads to this node'),
  missingEntry: () => t('旅程没有入口节点', 'The journey has no entry node'),
  tooManyEntries: (p: { type: LocalizedText; max: number }) =>
    t(`「${p.type['zh-CN']}」最多只能有 ${p.max} 个`, `At most ${p.max} "${p.type.en}" node(s) allowed`),
  cycleWithoutWait: (p: { nodes: LocalizedText }) =>
    t(
      `循环（${p.nodes['zh-CN']}）中没有等待节点，会无限循环`,
      `The loop ${p.nodes.en} has no wait in it and would run forever`,
    ),
  waitBeforeFresh: (p: { wait: LocalizedText; why: LocalizedText }) =>
    t(
      `客户经过「${p.wait['zh-CN']}」的等待后才到这里，但${p.why['zh-CN']}：这样到达的客户都会发送失败`,
      `Customers reach this node after waiting at "${p.wait.en}", but ${p.why.en}: each of them would fail`,
    ),
  entryBeforeFresh: (p: { entry: LocalizedText; arrival: LocalizedText; why: LocalizedText }) =>
    t(
      `从「${p.entry['zh-CN']}」进入的客户不是因${p.arrival['zh-CN']}而来，但${p.why['zh-CN']}：这样到达的客户都会发送失败`,
      `Customers who come in by "${p.entry.en}" do not arrive by ${p.arrival.en}, but ${p.why.en}: each of them would fail`,
    ),
  resourceMissing: (p: { kind: LocalizedText }) =>
    t(
      `${p.kind['zh-CN']}不存在（未创建或已删除），请选择或新建`,
      `This ${p.kind.en} does not exist (never created, or deleted): choose or create one`,
    ),
  smsVariableUnmapped: (p: { variable: string }) =>
    t(
      `模板变量「${p.variable}」还没有取值来源，请选择`,
      `Template variable "${p.variable}" has no value yet: choose where it comes from`,
    ),
  resourceWrongType: (p: { kind: LocalizedText; name: string; expected: string; actual: string }) =>
    t(
      `${p.kind['zh-CN']}「${p.name}」的类型是 ${p.actual}，此处需要 ${p.expected}`,
      `${p.kind.en} "${p.name}" is a ${p.actual}; this field needs a ${p.expected}`,
    ),
} satisfies Record<string, (params: never) => LocalizedText>;

export type ProblemCode = keyof typeof PROBLEM_MESSAGES;
