import { useLocale } from '../../app/i18n.ts';
import { countSms, hasUnsubscribeHint, SMS_PART_LIMIT, SMS_SINGLE_LIMIT } from '../../model/sms.ts';
import type { FieldProps } from './field-props.ts';

/** A message text: SMS texts show length and parts (with the signature) and warn without an opt-out hint; both list their variables. */
export function MessageTextArea(props: FieldProps & { widget: string }) {
  const { tr } = useLocale();
  const text = String(props.value ?? '');
  // Node packages name the signature field differently (sms uses `signName`).
  const sig = props.context.signName ?? props.context.signature;
  const signature = typeof sig === 'string' ? sig : '';
  const count = countSms(text, signature);
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
              `单条 ${SMS_SINGLE_LIMIT} 字，长短信每条 ${SMS_PART_LIMIT} 字`,
              `${SMS_SINGLE_LIMIT} single, ${SMS_PART_LIMIT} per part`,
            )}
          </span>
          {!hasUnsubscribeHint(text) && (
            <span className="warn">
              {tr('缺少退订提示（如“回T退订”）', 'No opt-out hint (e.g. "reply T to stop")')}
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
