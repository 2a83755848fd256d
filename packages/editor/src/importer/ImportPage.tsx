import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Steps, Upload } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { PageNav } from '../pages/PageNav.tsx';
import { readChosenFile } from './file-reading.ts';
import { ImportHistory } from './ImportHistory.tsx';
import { ImportProgress } from './ImportProgress.tsx';
import { type ImportSettings, MappingStep } from './MappingStep.tsx';
import type { ChosenFile, ImportPreview } from './types.ts';

type Stage =
  | { step: 'file' }
  | { step: 'mapping'; file: ChosenFile; preview: ImportPreview; sheet?: string }
  | { step: 'import'; batchId: string };

/**
 * The import wizard: choose a CSV or XLSX, check the columns the server read (and which field each
 * fills), then import with a progress bar the server feeds; below, the history with error reports
 * and undo.
 */
export function ImportPage() {
  const { t } = useLocale();
  const queryClient = useQueryClient();
  const [stage, setStage] = useState<Stage>({ step: 'file' });
  const preview = useMutation(trpc.audiences.previewImport.mutationOptions());
  const start = useMutation(
    trpc.audiences.startImport.mutationOptions({
      onSuccess: ({ batchId }) => {
        setStage({ step: 'import', batchId });
        void queryClient.invalidateQueries(trpc.audiences.imports.queryFilter());
      },
    }),
  );
  const read = async (file: ChosenFile, change: { sheet?: string; preset?: string } = {}) => {
    const result = await preview.mutateAsync({ contentBase64: file.contentBase64, ...change });
    setStage({ step: 'mapping', file, preview: result, sheet: result.sheet });
  };
  const current = stage.step === 'file' ? 0 : stage.step === 'mapping' ? 1 : 2;
  return (
    <main className="page" data-testid="import-page">
      <PageNav current="import" />
      <header className="page-head">
        <h1>{t('importer:title')}</h1>
      </header>
      <Steps
        current={current}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('importer:steps.file') },
          { title: t('importer:steps.mapping') },
          { title: t('importer:steps.import') },
        ]}
      />
      {stage.step === 'file' && (
        <div data-testid="import-file">
          <Upload.Dragger
            accept=".csv,.txt,.xlsx"
            multiple={false}
            showUploadList={false}
            disabled={preview.isPending}
            beforeUpload={(file) => {
              void readChosenFile(file)
                .then((chosen) => read(chosen))
                .catch(() => undefined); // the preview's error shows below
              return false;
            }}
          >
            <p>{preview.isPending ? t('importer:file.reading') : t('importer:file.choose')}</p>
            <p className="muted">{t('importer:file.hint')}</p>
          </Upload.Dragger>
        </div>
      )}
      {stage.step === 'mapping' && (
        <MappingStep
          key={`${stage.sheet ?? ''}|${preview.submittedAt}`}
          preview={stage.preview}
          busy={start.isPending || preview.isPending}
          onBack={() => setStage({ step: 'file' })}
          onReread={(change) => void read(stage.file, { sheet: stage.sheet, ...change }).catch(() => undefined)}
          onImport={(settings: ImportSettings) =>
            start.mutate({
              fileName: stage.file.name,
              contentBase64: stage.file.contentBase64,
              sheet: stage.sheet,
              ...settings,
            })
          }
        />
      )}
      {stage.step === 'import' && (
        <ImportProgress batchId={stage.batchId} onAnother={() => setStage({ step: 'file' })} />
      )}
      {(preview.error || start.error) && (
        <p className="field-message" data-testid="import-error">
          {errorText(preview.error ?? start.error)}
        </p>
      )}
      <ImportHistory />
    </main>
  );
}
