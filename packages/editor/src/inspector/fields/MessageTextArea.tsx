import { countSmsParts, hasUnsubscribeText, SMS_PART_LENGTH, SMS_SINGLE_LIMIT } from '@siyu/nodes-sms';
import { useQuery } from '@tanstack/react-query';
import { useLocale } from '../../app/i18n.ts';
import { REFRESH_ON_RETURN, trpc } from '../../app/kit/query.ts';
import { listText } from '../../app/list-format.ts';
import type { FieldProps } from './field-props.ts';
import { templateVariables } from './template-variables.ts';

/**
 * A message text: SMS texts show length and parts (with the signature); both say which variables
 * are available (in the editor's language: node packages used to say it in Chinese only) and list
 * the ones used.
 * The counting and the opt-out rule are @siyu/nodes-sms's own. The rule is said once: a marketing
 * SMS without opt-out text gets the node's validation error under the field (UNSUBSCRIBE_RULE's
 * words); here a marketing SMS that has it is ticked, and a notice SMS (no rule) says nothing.
 */
export function MessageTextArea(props: FieldProps & { widget: string }) {
  const { t, locale } = useLocale();
  const text = String(props.value ?? '');
  // Node packages name the signature field differently (sms uses `signName`).
  const sig = props.context.signName ?? props.context.signature;
  const signature = typeof sig === 'string' ? sig : '';
  const count = countSmsParts(text, signature);
  const attributeNames = useQuery(trpc.customers.segmentFields.queryOptions(undefined, REFRESH_ON_RETURN)).data
    ?.attributeKeys;
  const uses = templateVariables(text, { sms: props.widget === 'smsText', attributeNames });
  const named = uses.flatMap((u) =>
    u.kind === 'field'
      ? [t(`inspector:templateFields.${u.field}`)]
      : u.kind === 'attribute' || u.kind === 'unchecked'
        ? [t('inspector:messageTextArea.attributeVariable', { name: u.kind === 'attribute' ? u.name : u.token })]
        : [],
  );
  // Braces that are not a variable are the node's validation error (shared checkTemplateBraces),
  // shown under the field like any other; what nothing fills is only a warning here.
  const unfilled = uses.filter((u) => u.kind === 'unknown');
  return (
    <div className="textarea">
      <textarea rows={4} value={text} onChange={(e) => props.onChange(e.target.value)} />
      {props.widget === 'smsText' && (
        <div className="sms-meta" data-testid="sms-counter">
          <span>
            {t('inspector:messageTextArea.charsCharsWithSignatureCount', { chars: count.chars, count: count.parts })}
          </span>
          <span className="muted">
            {t('inspector:messageTextArea.smsSingleLimitSingleSms', { SMS_SINGLE_LIMIT, SMS_PART_LENGTH })}
          </span>
          {props.context.kind === 'marketing' && hasUnsubscribeText(text) && (
            <span className="ok" data-testid="sms-opt-out-ok">
              {t('inspector:messageTextArea.saysHowToOptOut')}
            </span>
          )}
        </div>
      )}
      <div className="muted" data-testid="message-variables-available">
        {t('inspector:messageTextArea.available', {
          // What a message text may use (any attribute, by its name); an SMS may also carry its tracked link.
          variables: listText(
            [
              '{{displayName}}',
              `{{attributes.${t('inspector:messageTextArea.attributeName')}}}`,
              ...(props.widget === 'smsText' ? ['{{link}}'] : []),
            ],
            locale,
          ),
        })}
      </div>
      {named.length > 0 && (
        <div className="muted" data-testid="message-variables-used">
          {t('inspector:messageTextArea.used', { variables: listText(named, locale) })}
        </div>
      )}
      {unfilled.map((u) => (
        // Warned, not refused: the attribute names are read from the newest customers, and an
        // attribute the next import brings would fill it.
        <div key={u.token} className="field-message" data-testid="message-variable-problem">
          {t('inspector:messageTextArea.unknownVariable', { token: u.token })}
        </div>
      ))}
    </div>
  );
}
