import { useLocale } from './i18n.ts';
import type { RegistryProblem } from './registry-check.ts';

/**
 * Shown instead of the editor when its node packages cannot be put together (two packages define
 * the same node type): which packages, from which folders, and how to fix it, in place of a blank
 * page with the reason only in the browser console.
 */
export function BootError({ problems }: { problems: readonly RegistryProblem[] }) {
  const { tr, locale, setLocale } = useLocale();
  return (
    <main className="boot-error" role="alert" data-testid="boot-error">
      <h1>{tr('编辑器无法启动：节点包之间有冲突', 'The editor cannot start: node packages clash')}</h1>
      <ul>
        {problems.map((p) => (
          <li key={p.kind === 'typeClash' ? p.type : p.kind === 'nameClash' ? p.name : p.message}>
            {p.kind === 'typeClash'
              ? tr(
                  `节点类型 ${p.type} 被多个节点包同时定义：${p.packages.map((o) => tr(`「${o.name}」（${o.source}）`, `“${o.name}” (${o.source})`)).join(tr('、', ', '))}。`,
                  `The node type ${p.type} is defined by more than one package: ${p.packages.map((o) => tr(`「${o.name}」（${o.source}）`, `“${o.name}” (${o.source})`)).join(tr('、', ', '))}.`,
                )
              : p.kind === 'nameClash'
                ? tr(
                    `节点包名「${p.name}」被多个文件夹使用：${p.sources.join(tr('、', ', '))}。`,
                    `The package name “${p.name}” is used by more than one folder: ${p.sources.join(tr('、', ', '))}.`,
                  )
                : tr(`节点包无法加载：${p.message}`, `The node packages could not be loaded: ${p.message}`)}
          </li>
        ))}
      </ul>
      <p>
        {tr(
          '每个节点类型必须以它所在包的名字开头（例如 brand.wait），且只能由一个包定义。请修改其中一个包后重新构建编辑器（pnpm start）。服务器端会跳过冲突的包，其它旅程不受影响。',
          'Every node type must start with its own package’s name (e.g. brand.wait) and be defined by one package only. Change one of the packages and rebuild the editor (pnpm start). The server skips the clashing package; other journeys are not affected.',
        )}
      </p>
      <button type="button" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>
        {locale === 'en' ? '中文' : 'EN'}
      </button>
    </main>
  );
}
