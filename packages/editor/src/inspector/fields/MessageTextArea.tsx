import { countSmsParts, hasUnsubscribeText, SMS_PART_LENGTH, SMS_SINGLE_LIMIT } from '@siyu/nodes-sms';
import { useLocale } from '../../app/i18n.ts';
import type { FieldProps } from './field-props.ts';

/**
 * A message text: SMS texts show length and parts (with the signature) and warn without an opt-out
 * hint; both list their variables. The counting and the opt-out rule are @siyu/nodes-sms's own, so
 * the hint here agrees with the error the node's schema gives a marketing SMS.
 */
export function MessageTextArea(props: FieldProps & { widget: string }) {
  const { tr } = useLocale();
  const text = String(props.value ?? '');
  // Node packages name the signature field differently (sms uses `signName`).
  const sig = props.context.signName ?? props.context.signature;
  const signature = typeof sig === 'string' ? sig : '';
  const count = countSmsParts(text, signature);
  const variables = [...text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]);
  return (
    <div className="textarea">
      <textarea rows={4} value={text} onChange={(e) => props.onChange(e.target.value)} />
      {props.widget === 'smsText' && (
        <div className="sms-meta" data-testid="sms-counter">
          <span>
            {tr(
              `${count.chars} 字（含签名）· ${count.parts} 条`,
              `${count.chars} chars (with signature) · ${count.parts} part(s)`,
            )}
          </span>
          <span className="muted">
            {tr(
              `单条 ${SMS_SINGLE_LIMIT} 字，长短信每条 ${SMS_PART_LENGTH} 字`,
              `${SMS_SINGLE_LIMIT} single, ${SMS_PART_LENGTH} per part`,
            )}
          </span>
          {!hasUnsubscribeText(text) && (
            <span className="warn">
              {tr('缺少退订提示（如“拒收请回复R”或“回T退订”）', 'No opt-out hint (e.g. "拒收请回复R" or "回T退订")')}
            </span>
          )}
        </div>
      )}
      {variables.length > 0 && (
        <div className="muted">
          {tr('变量：', 'Variables: ')}
          {variables.join('、')}
        </div>
      )}
    </div>
  );
}
