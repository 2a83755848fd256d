import { Button } from 'antd';
import { useLocale } from '../app/i18n.ts';
import { useErrorText } from '../app/kit/query.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import { api } from '../app/server-api.ts';

/** 归档 after a confirm: the channel's links stop working (/r/<code> answers 404) and it leaves the pickers. */
export function ArchiveButton(props: { channel: { id: string; name: string }; onDone: () => void }) {
  const { t } = useLocale();
  const confirm = useConfirm();
  const [error, setError] = useErrorText();
  return (
    <>
      <Button
        type="link"
        danger
        data-testid="archive-channel"
        onClick={async (e) => {
          e.stopPropagation();
          const sure = await confirm({
            title: t('channels:archiveButton.archiveChannelName', { name: props.channel.name }),
            content: t('channels:archiveButton.itsQrCodesAndLinks'),
            okText: t('channels:archiveButton.archive'),
            danger: true,
          });
          if (!sure) return;
          setError('');
          try {
            await api.channels.archive.mutate({ id: props.channel.id });
            props.onDone();
          } catch (err) {
            setError(err);
          }
        }}
      >
        {t('channels:archiveButton.archive')}
      </Button>
      {error && <span className="field-message">{error}</span>}
    </>
  );
}
