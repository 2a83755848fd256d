import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { useErrorText } from '../app/kit/query.ts';
import { type CsvRequest, downloadCsv } from './csv.ts';

/** A titled block of a report page with its CSV export button. */
export function Section(props: { title: string; csv?: CsvRequest; testId: string; children: ReactNode }) {
  const { t } = useLocale();
  const [error, setError] = useErrorText();
  return (
    <section className="report-section" data-testid={props.testId}>
      <header>
        <h2>{props.title}</h2>
        {props.csv && (
          <button
            type="button"
            className="btn-small"
            data-testid={`${props.testId}-csv`}
            onClick={() => {
              setError('');
              downloadCsv(props.csv as CsvRequest).catch((e: Error) => setError(e));
            }}
          >
            {t('reports:parts.exportCsv')}
          </button>
        )}
      </header>
      {error && <p className="field-message">{error}</p>}
      {props.children}
    </section>
  );
}

/** The rule a number was computed by, in the UI language. */
export function Rule({ text }: { text: { 'zh-CN': string; en: string } }) {
  const { loc } = useLocale();
  return <p className="report-rule">{loc(text)}</p>;
}

/** Loads when `key` changes (or on reload()); keeps the last data while reloading, shows errors in place. */
export function useLoad<T>(load: () => Promise<T>, key: string) {
  const [data, setData] = useState<T>();
  const [error, setError] = useErrorText();
  const [round, setRound] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  const request = `${key}#${round}`;
  useEffect(() => {
    let live = true;
    setError('');
    loader.current().then(
      (value) => live && request && setData(value),
      (e: Error) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [request, setError]);
  return { data, error, reload: () => setRound((r) => r + 1) };
}
