// Outgoing webhook: lets a journey call the brand's own systems (CRM, ERP, a points service).
import { credentialField, defineCredentialType, defineNode, HttpUrlSchema, secretField, t } from '@siyu/shared';
import { z } from 'zod';

/** Header names of the signed request (documented in README.md for the receiving side). */
export const WEBHOOK_HEADERS = {
  timestamp: 'x-siyu-timestamp',
  signature: 'x-siyu-signature',
  idempotencyKey: 'idempotency-key',
} as const;

/** Environment variable holding the signing secret of a name (the runtime reads it, never the journey). */
export function webhookSecretVariable(name: string): string {
  return name === 'default' ? 'WEBHOOK_SECRET' : `WEBHOOK_SECRET_${name.toUpperCase()}`;
}

/**
 * A signing secret shared with the receiving system, stored encrypted by the runtime. A webhook
 * node that names one (`credentialId`) signs with it; otherwise with the environment's secret.
 */
export const webhookSigningCredential = defineCredentialType({
  type: 'core.webhookSigning',
  label: t('Webhook 签名密钥', 'Webhook signing secret'),
  description: t(
    '与接收方系统共享的 HMAC-SHA256 签名密钥',
    'The HMAC-SHA256 signing secret shared with the receiving system',
  ),
  schema: z.object({
    secret: secretField({ label: t('签名密钥', 'Signing secret') }),
  }),
});

export const WebhookConfigSchema = z.object({
  url: HttpUrlSchema.meta({ label: t('网址', 'URL') }),
  method: z.enum(['POST', 'PUT']).default('POST').meta({ widget: 'select' }),
  /** The stored signing secret (a core.webhookSigning credential); only its id is in the journey. */
  credentialId: credentialField(webhookSigningCredential.type, {
    label: t('签名密钥（凭据）', 'Signing secret (credential)'),
  }).optional(),
  /**
   * Without a credential: name of the signing secret the server reads from the environment
   * variable WEBHOOK_SECRET_<NAME> (or WEBHOOK_SECRET for "default").
   */
  secretName: z
    .string()
    .regex(/^[A-Za-z0-9_]{1,40}$/, { message: '密钥名只能包含字母、数字和下划线 / letters, digits and _ only' })
    .default('default')
    .meta({ label: t('环境变量密钥名（未选凭据时）', 'Environment secret name (without a credential)') }),
  /** Extra JSON merged into the body next to the customer and journey. */
  payload: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .default({})
    .meta({ widget: 'keyValue' }),
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(30)
    .default(10)
    .meta({ label: t('超时（秒）', 'Timeout (s)') }),
});
export type WebhookConfig = z.output<typeof WebhookConfigSchema>;

export const webhook = defineNode({
  type: 'core.webhook',
  version: 1,
  category: 'integration',
  icon: 'webhook',
  label: t('调用 Webhook', 'Call webhook'),
  description: t(
    '向品牌自有系统发送签名的 HTTP 请求（含幂等键）；超时和 5xx 自动重试，4xx 走"失败"',
    'Sends a signed HTTP request (with an idempotency key) to the brand\'s own system; retries timeouts and 5xx, 4xx goes to "failed"',
  ),
  config: WebhookConfigSchema,
  defaultConfig: {
    url: 'https://example.com/hooks/journey',
    method: 'POST',
    secretName: 'default',
    payload: {},
    timeoutSeconds: 10,
  },
  outputs: [
    { id: 'ok', label: t('成功', 'OK') },
    { id: 'failed', label: t('失败', 'Failed'), required: false },
  ],
  effect: { failurePort: 'failed' },
});
