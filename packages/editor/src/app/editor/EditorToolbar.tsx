import { useLocale } from '../i18n.ts';

export interface EditorToolbarProps {
  title: React.ReactNode;
  /** More buttons from the host (simulation, versions on the server editor). */
  extra?: React.ReactNode;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onFitView: () => void;
  /** Publishing stays off while there are problems. */
  problemCount: number;
  onPublish: () => void;
}

/** The bar over the canvas: title, undo/redo, layout, fit, the host's buttons, status, publish, language. */
export function EditorToolbar(props: EditorToolbarProps) {
  const { tr, locale, setLocale } = useLocale();
  const errorCount = props.problemCount;
  return (
    <header className="toolbar">
      <div className="toolbar-title">{props.title}</div>
      <button type="button" onClick={props.onUndo} disabled={!props.canUndo} title="Ctrl+Z" data-testid="undo">
        ↶ {tr('撤销', 'Undo')}
      </button>
      <button type="button" onClick={props.onRedo} disabled={!props.canRedo} title="Ctrl+Shift+Z" data-testid="redo">
        ↷ {tr('重做', 'Redo')}
      </button>
      <button type="button" onClick={props.onLayout} title="Shift+L" data-testid="layout">
        🧭 {tr('自动布局', 'Auto-layout')}
      </button>
      <button type="button" onClick={props.onFitView} title="Shift+1" data-testid="fit-view">
        ⤢ {tr('适应画布', 'Fit view')}
      </button>
      {props.extra}
      <span className="spacer" />
      <span className={errorCount ? 'status bad' : 'status ok'} data-testid="status">
        {errorCount ? tr(`${errorCount} 个问题`, `${errorCount} problem(s)`) : tr('可以发布', 'Ready')}
      </span>
      <button
        type="button"
        className="primary"
        disabled={errorCount > 0}
        title={errorCount ? tr('请先修复所有问题', 'Fix every problem first') : ''}
        onClick={props.onPublish}
        data-testid="publish"
      >
        {tr('发布', 'Publish')}
      </button>
      <button type="button" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')} data-testid="locale">
        {locale === 'en' ? '中文' : 'EN'}
      </button>
    </header>
  );
}
