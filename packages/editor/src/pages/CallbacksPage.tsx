import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Input, type InputRef, Table, type TableColumnsType } from 'antd';
import { useRef, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { rowAttributes } from '../app/kit/table.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import type { api } from '../app/server-api.ts';
import { useIsAdmin } from '../app/use-role.ts';
import { providerName } from './format.ts';
import { PageNav } from './PageNav.tsx';

type CallbackUrl = Awaited<ReturnType<typeof api.callbacks.urls.query>>['urls'][number];

/** Where a URL goes in its provider's console: pages:callbacksPage.where.<provider>.<kind>. */
const whereKey = (u: CallbackUrl) => `${u.provider}.${u.kind}`;

/**
 * 回调地址 (admins): the URL each provider pushes to, with a copy button, and the rotation of the
 * deployment's SMS callback token. The SMS URLs carry that token, so the page is as secret as a
 * password and the server shows it to admins only.
 */
export function CallbacksPage() {
  const { t, locale } = useLocale();
  const isAdmin = useIsAdmin();
  const confirm = useConfirm();
  const queries = useQueryClient();
  const urlsQuery = useQuery(trpc.callbacks.urls.queryOptions(undefined, { enabled: isAdmin === true }));
  const urls = urlsQuery.data?.urls;
  const rotation = useMutation(
    trpc.callbacks.rotateToken.mutationOptions({
      onSuccess: (result) => queries.setQueryData(trpc.callbacks.urls.queryKey(), result),
    }),
  );
  const rotate = async () => {
    const sure = await confirm({
      title: t('pages:callbacksPage.rotateTheToken'),
      content: t('pages:callbacksPage.theOldSmsCallbackUrls'),
      okText: t('pages:callbacksPage.rotateToken'),
      danger: true,
    });
    if (sure) rotation.mutate();
  };
  const error = errorText(urlsQuery.error) || errorText(rotation.error);
  const columns: TableColumnsType<CallbackUrl> = [
    {
      key: 'what',
      title: t('pages:callbacksPage.providerPurposeWhereItGoes'),
      className: 'callback-what',
      render: (_, u) => (
        <>
          <strong data-testid="callback-name">
            {providerName(u.provider, locale)} · {t(`pages:callbacksPage.kinds.${u.kind}`)}
          </strong>
          {u.tokenized && <span className="pill">{t('pages:callbacksPage.hasTheToken')}</span>}
          <div className="muted">
            {t(`pages:callbacksPage.where.${whereKey(u)}`, { defaultValue: '' })}
            {!u.tokenized && t('pages:callbacksPage.signedByTheProviderRotating')}
          </div>
        </>
      ),
    },
    {
      key: 'url',
      title: t('pages:callbacksPage.url'),
      className: 'callback-url',
      render: (_, u) => <CopyableUrl key={u.url} url={u.url} />,
    },
  ];
  return (
    <main className="page" data-testid="callbacks-page">
      <PageNav current="callbacks" />
      <header className="page-head">
        <h1>{t('pages:callbacksPage.callbackUrls')}</h1>
        <p className="muted">{t('pages:callbacksPage.providersPushSmsReceiptsReplies')}</p>
        <p className="warn">{t('pages:callbacksPage.theSmsUrlsCarryThis')}</p>
      </header>
      {isAdmin === false && (
        <p className="field-message" data-testid="callbacks-admin-only">
          {t('pages:callbacksPage.onlyAdminsCanSeeThe')}
        </p>
      )}
      {rotation.isSuccess && (
        <p className="notice" data-testid="callbacks-notice">
          {t('pages:callbacksPage.tokenRotatedPasteThe4')}
        </p>
      )}
      {error && <p className="field-message">{error}</p>}
      <Table<CallbackUrl>
        className="data-table"
        rowKey={(u) => `${u.provider}.${u.kind}`}
        columns={columns}
        dataSource={urls ?? []}
        loading={isAdmin === true && urlsQuery.isPending}
        pagination={false}
        onRow={(u) => rowAttributes('callback-row', { provider: u.provider, kind: u.kind, tokenized: u.tokenized })}
      />
      {urls && (
        <section className="page-head">
          <h2>{t('pages:callbacksPage.rotateToken')}</h2>
          <p className="muted">{t('pages:callbacksPage.rotateWhenTheTokenLeaked')}</p>
          <Button danger loading={rotation.isPending} onClick={() => void rotate()} data-testid="rotate-token">
            {t('pages:callbacksPage.rotateToken')}
          </Button>
        </section>
      )}
    </main>
  );
}

/** The URL in a read-only field and a copy button (the field is selected when the clipboard is refused, e.g. over plain http). */
function CopyableUrl({ url }: { url: string }) {
  const { t } = useLocale();
  const field = useRef<InputRef>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | ''>('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      // No clipboard API outside secure contexts: select the text for Ctrl+C instead.
      field.current?.select();
      setCopied('select');
    }
  };
  return (
    <div className="copy-url">
      <Input ref={field} className="mono copy-url-field" readOnly value={url} onFocus={(e) => e.target.select()} />
      <Button size="small" onClick={() => void copy()} data-testid="copy-url">
        {copied === 'yes' ? t('pages:callbacksPage.copied') : t('pages:callbacksPage.copy')}
      </Button>
      {copied === 'select' && <span className="muted">{t('pages:callbacksPage.selectedPressCtrlC')}</span>}
    </div>
  );
}
