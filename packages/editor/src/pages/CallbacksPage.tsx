import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Input, type InputRef, Table, type TableColumnsType } from 'antd';
import { useRef, useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText, trpc } from '../app/kit/query.ts';
import { rowAttributes } from '../app/kit/table.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import type { api } from '../app/server-api.ts';
import { useIsAdmin } from '../app/use-role.ts';
import { PROVIDER_NAMES } from './format.ts';
import { PageNav } from './PageNav.tsx';

type CallbackUrl = Awaited<ReturnType<typeof api.callbacks.urls.query>>['urls'][number];

// Typed by the server's unions, so a new provider or kind without words fails the typecheck.
const PROVIDER: Record<CallbackUrl['provider'], [string, string]> = PROVIDER_NAMES;
const KIND: Record<CallbackUrl['kind'], [string, string]> = {
  receipts: ['回执', 'receipts'],
  replies: ['上行回复', 'replies'],
  events: ['事件回调', 'events'],
  couponNotify: ['领券通知', 'coupon notifications'],
};
/** Where each URL goes in the provider's console (keyed `provider.kind`). */
const WHERE: Record<string, [string, string]> = {
  'aliyun.receipts': [
    '阿里云短信控制台 → 通用设置 → HTTP 批量推送：「短信发送状态」(SmsReport)',
    'Aliyun SMS console → General settings → HTTP batch push: delivery status (SmsReport)',
  ],
  'aliyun.replies': [
    '阿里云短信控制台 → 通用设置 → HTTP 批量推送：「上行短信」(SmsUp)',
    'Aliyun SMS console → General settings → HTTP batch push: inbound SMS (SmsUp)',
  ],
  'tencent.receipts': [
    '腾讯云短信控制台 → 应用管理 → 回调配置：「短信回执」',
    'Tencent Cloud SMS console → Applications → Callbacks: delivery receipts',
  ],
  'tencent.replies': [
    '腾讯云短信控制台 → 应用管理 → 回调配置：「短信回复」',
    'Tencent Cloud SMS console → Applications → Callbacks: SMS replies',
  ],
  'wecom.events': [
    '企业微信管理后台 → 自建应用 → 接收消息 → 设置 API 接收：URL',
    'WeCom admin console → your app → Receive messages → API: URL',
  ],
  'wechatpay.couponNotify': [
    '微信支付商户平台：代金券消息通知地址',
    'WeChat Pay merchant platform: coupon notification URL',
  ],
};

/**
 * 回调地址 (admins): the URL each provider pushes to, with a copy button, and the rotation of the
 * deployment's SMS callback token. The SMS URLs carry that token, so the page is as secret as a
 * password and the server shows it to admins only.
 */
export function CallbacksPage() {
  const { tr, locale } = useLocale();
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
  const i = locale === 'en' ? 1 : 0;
  const rotate = async () => {
    const sure = await confirm({
      title: tr('更换令牌？', 'Rotate the token?'),
      content: tr(
        '旧的短信回调地址立即失效：阿里云和腾讯云推送的回执与回复会被拒绝，直到你把新地址填入两家的控制台。',
        'The old SMS callback URLs stop working at once: receipts and replies from Aliyun and Tencent Cloud are refused until you paste the new URLs into both consoles.',
      ),
      okText: tr('更换令牌', 'Rotate token'),
      danger: true,
    });
    if (sure) rotation.mutate();
  };
  const error = errorText(urlsQuery.error) || errorText(rotation.error);
  const columns: TableColumnsType<CallbackUrl> = [
    {
      key: 'what',
      title: tr('服务商 · 用途（填到哪里）', 'Provider · purpose (where it goes)'),
      className: 'callback-what',
      render: (_, u) => (
        <>
          <strong data-testid="callback-name">
            {PROVIDER[u.provider][i]} · {KIND[u.kind][i]}
          </strong>
          {u.tokenized && <span className="pill">{tr('含令牌', 'has the token')}</span>}
          <div className="muted">
            {WHERE[`${u.provider}.${u.kind}`]?.[i]}
            {!u.tokenized &&
              tr('（服务商自行签名，更换令牌不影响）', ' (signed by the provider; rotating does not change it)')}
          </div>
        </>
      ),
    },
    {
      key: 'url',
      title: tr('地址', 'URL'),
      className: 'callback-url',
      render: (_, u) => <CopyableUrl key={u.url} url={u.url} />,
    },
  ];
  return (
    <main className="page" data-testid="callbacks-page">
      <PageNav current="callbacks" />
      <header className="page-head">
        <h1>{tr('回调地址', 'Callback URLs')}</h1>
        <p className="muted">
          {tr(
            '服务商把短信回执、上行回复和事件推送到下面的地址。逐个复制，填到每行所写的服务商控制台位置。',
            "Providers push SMS receipts, replies and events to these URLs. Copy each one into the place in the provider's console named on its row.",
          )}
        </p>
        <p className="warn">
          {tr(
            '短信地址带有本部署的令牌（token=…），等同密码：只填在服务商控制台，不要发到群聊、工单或截图里。泄露后请更换令牌。',
            "The SMS URLs carry this deployment's token (token=…) and are as secret as a password: paste them only into the provider consoles, never into chats, tickets or screenshots. If one leaks, rotate the token.",
          )}
        </p>
      </header>
      {isAdmin === false && (
        <p className="field-message" data-testid="callbacks-admin-only">
          {tr('只有管理员可以查看回调地址。', 'Only admins can see the callback URLs.')}
        </p>
      )}
      {rotation.isSuccess && (
        <p className="notice" data-testid="callbacks-notice">
          {tr(
            '令牌已更换。请现在把下面 4 个新的短信地址填入阿里云和腾讯云控制台。',
            'Token rotated. Paste the 4 new SMS URLs below into the Aliyun and Tencent Cloud consoles now.',
          )}
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
          <h2>{tr('更换令牌', 'Rotate token')}</h2>
          <p className="muted">
            {tr(
              '令牌泄露或有人离职时更换。更换后旧的短信地址立即失效，须马上把新地址填入阿里云和腾讯云控制台；企业微信和微信支付的地址不变。',
              'Rotate when the token leaked or someone who knew it left. The old SMS URLs stop working at once, so paste the new ones into the Aliyun and Tencent Cloud consoles right away; the WeCom and WeChat Pay URLs stay the same.',
            )}
          </p>
          <Button danger loading={rotation.isPending} onClick={() => void rotate()} data-testid="rotate-token">
            {tr('更换令牌', 'Rotate token')}
          </Button>
        </section>
      )}
    </main>
  );
}

/** The URL in a read-only field and a copy button (the field is selected when the clipboard is refused, e.g. over plain http). */
function CopyableUrl({ url }: { url: string }) {
  const { tr } = useLocale();
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
        {copied === 'yes' ? tr('已复制', 'Copied') : tr('复制', 'Copy')}
      </Button>
      {copied === 'select' && <span className="muted">{tr('已选中，按 Ctrl+C 复制', 'Selected: press Ctrl+C')}</span>}
    </div>
  );
}
