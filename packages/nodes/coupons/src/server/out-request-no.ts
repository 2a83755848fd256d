// WeChat Pay's out_request_no takes 1–128 of letters, digits and | _ * - ("不允许出现其他不合法符号"),
// and is what makes an issue idempotent at WeChat. The engine's idempotency keys are
// `<instanceId>:<nodeId>:<visit>`: node ids are letters, digits, _ and - (NodeIdSchema), so the
// only character WeChat refuses is the ':' separator. It becomes '|', which no key contains, so two
// keys never map to one out_request_no and the key stays readable in the merchant platform.
// A key that is still outside the charset (a third-party caller's own key) is sent as a hash of it.
//
// Keys with ':' never reached WeChat before this mapping (it answers PARAM_ERROR, a permanent
// failure that released the reservation), so no coupon was issued under an unmapped key and a
// retried step finds nothing at WeChat under the old spelling.
import { createHash } from 'node:crypto';

export const OUT_REQUEST_NO = /^[A-Za-z0-9|_*-]{1,128}$/;

export function wechatOutRequestNo(idempotencyKey: string): string {
  const readable = idempotencyKey.replaceAll(':', '|');
  if (OUT_REQUEST_NO.test(readable)) return readable;
  // 'h-' + 64 hex: no '|', so never equal to a readable mapping of an engine key.
  return `h-${createHash('sha256').update(idempotencyKey).digest('hex')}`;
}
