import { type Locale, type LocalizedText, localize, type PauseReason } from '@siyu/shared';
import { trFor } from '../locales/catalogs.ts';

/**
 * Words a journey the engine paused by itself for the people who run it: the journey, the node's
 * title, the package and the versions in a sentence (no ids), what happens to its customers and
 * events meanwhile, and what to do. Strings are written in place, Chinese first, as everywhere in
 * the editor (see i18n.ts).
 */
export interface PauseReasonText {
  headline: string;
  cause: string;
  meanwhile: string;
  fix: string;
}

/**
 * `packages` are the node packages this editor knows (the registry's): a package is named by its
 * label, its npm name only when the editor does not know it (a missing package).
 */
export function pauseReasonText(
  reason: PauseReason,
  locale: Locale,
  packages: readonly { name: string; label: LocalizedText }[] = [],
): PauseReasonText {
  const tr = trFor(locale);
  const title = (t: string | LocalizedText | undefined) =>
    t === undefined ? undefined : typeof t === 'string' ? t : localize(t, locale);
  const named = title(reason.node?.title);
  const node = named ? tr(`节点「${named}」`, `the node “${named}”`) : tr('一个节点', 'a node');
  const Node = named ? tr(`节点「${named}」`, `The node “${named}”`) : tr('一个节点', 'A node');
  const known = packages.find((p) => p.name === reason.package?.name);
  const pkg = known ? localize(known.label, locale) : (reason.package?.name ?? tr('未知', 'unknown'));
  const v = reason.version?.number;
  const inVersion = v ? tr(`第 ${v} 版中`, `Version ${v}: `) : '';
  const saved = reason.node?.typeVersion;
  const installed = reason.node?.installedVersion;
  let cause: string;
  switch (reason.kind) {
    case 'packageMissing':
      cause = tr(
        `${inVersion}${node}来自节点包「${pkg}」，但服务器上没有安装（或没有发现）这个包。`,
        `${inVersion}${node} comes from the package “${pkg}”, which this server does not have installed (or did not discover).`,
      );
      break;
    case 'executorFailing':
      cause = tr(
        `${node}（节点包「${pkg}」）连续出错，为避免反复失败已暂停。`,
        `${Node} (package “${pkg}”) keeps failing, so the journey was paused instead of failing again and again.`,
      );
      break;
    default:
      cause = tr(
        `${inVersion}${node}的设置无法被节点包「${pkg}」读取${saved && installed ? tr(`（保存时为节点第 ${saved} 版，现已安装第 ${installed} 版）`, ` (saved at node version ${saved}, version ${installed} is installed)`) : ''}。`,
        `${inVersion}the settings of ${node} cannot be read by the package “${pkg}”${saved && installed ? tr(`（保存时为节点第 ${saved} 版，现已安装第 ${installed} 版）`, ` (saved at node version ${saved}, version ${installed} is installed)`) : ''}.`,
      );
  }
  return {
    headline: tr(
      `旅程「${reason.journey.name}」已自动暂停`,
      `The journey “${reason.journey.name}” was paused automatically`,
    ),
    cause,
    meanwhile: tr(
      '其他旅程照常运行。此旅程中的客户停在原处，期间收到的事件已保存，恢复后会补发给等待中的客户。',
      'Every other journey carries on. Its customers wait where they are; events received meanwhile are kept and delivered to waiting customers when it resumes.',
    ),
    fix:
      reason.kind === 'packageMissing'
        ? tr(
            '请安装或修复该节点包并重启服务，然后点击“恢复”。',
            'Install or fix the package and restart the server, then resume.',
          )
        : reason.kind === 'executorFailing'
          ? tr('请修复该节点包后点击“恢复”。', 'Fix the package, then resume.')
          : tr(
              '请为该节点包补上配置升级（migration）并重启服务，或发布修正后的新版本，然后点击“恢复”。',
              'Add a config migration to the package and restart, or publish a corrected version, then resume.',
            ),
  };
}
