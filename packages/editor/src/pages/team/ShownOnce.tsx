import { Alert, Typography } from 'antd';
import { useLocale } from '../../app/i18n.ts';

/**
 * A secret the server gives once (an API key, a set-password link): shown with a copy button and a
 * warning that it will not be shown again.
 */
export function ShownOnce({ value, warning, testId }: { value: string; warning: string; testId: string }) {
  const { t } = useLocale();
  return (
    <div className="shown-once">
      <Alert type="warning" showIcon title={warning} />
      <Typography.Paragraph
        code
        copyable={{ text: value, tooltips: [t('team:shownOnce.copy'), t('team:shownOnce.copied')] }}
        data-testid={testId}
        style={{ marginTop: 12, wordBreak: 'break-all' }}
      >
        {value}
      </Typography.Paragraph>
    </div>
  );
}
