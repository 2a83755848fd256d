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
  /** An auto-layout is running: the button is busy until its result is on the canvas. */
  layingOut?: boolean;
  onFitView: () => void;
  /** Publishing stays off while there are problems. */
  problemCount: number;
  onPublish: () => void;
}

/** The bar over the canvas: title, undo/redo, layout, fit, the host's buttons, status, publish, language. */
export function EditorToolbar(props: EditorToolbarProps) {
  const { t, locale, setLocale } = useLocale();
  const errorCount = props.problemCount;
  return (
    <header className="toolbar">
      <div className="toolbar-title">{props.title}</div>
      <button type="button" onClick={props.onUndo} disabled={!props.canUndo} title="Ctrl+Z" data-testid="undo">
        ↶ {t('editor:editorToolbar.undo')}
      </button>
      <button type="button" onClick={props.onRedo} disabled={!props.canRedo} title="Ctrl+Shift+Z" data-testid="redo">
        ↷ {t('editor:editorToolbar.redo')}
      </button>
      <button
        type="button"
        onClick={props.onLayout}
        disabled={props.layingOut}
        aria-busy={props.layingOut}
        title="Shift+L"
        data-testid="layout"
      >
        🧭 {t('editor:editorToolbar.autoLayout')}
      </button>
      <button type="button" onClick={props.onFitView} title="Shift+1" data-testid="fit-view">
        ⤢ {t('editor:editorCanvas.fitView')}
      </button>
      {props.extra}
      <span className="spacer" />
      <span className={errorCount ? 'status bad' : 'status ok'} data-testid="status">
        {errorCount ? t('editor:editorToolbar.countProblems', { count: errorCount }) : t('editor:editorToolbar.ready')}
      </span>
      <button
        type="button"
        className="primary"
        disabled={errorCount > 0}
        title={errorCount ? t('editor:editorToolbar.fixEveryProblemFirst') : ''}
        onClick={props.onPublish}
        data-testid="publish"
      >
        {t('editor:editorToolbar.publish')}
      </button>
      <button type="button" onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')} data-testid="locale">
        {locale === 'en' ? '中文' : 'EN'}
      </button>
    </header>
  );
}
