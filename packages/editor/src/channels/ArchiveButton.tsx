import { Button } from 'antd';
import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { errorText } from '../app/kit/query.ts';
import { useConfirm } from '../app/kit/use-confirm.ts';
import { api } from '../app/server-api.ts';

/** 归档 after a confirm: the channel's links stop working (/r/<code> answers 404) and it leaves the pickers. */
export function ArchiveButton(props: { channel: { id: string; name: string }; onDone: () => void }) {
  const { tr } = useLocale();
  const confirm = useConfirm();
  const [error, setError] = useState('');
  return (
    <>
      <Button
        type="link"
        danger
        data-testid="archive-channel"
        onClick={async (e) => {
          e.stopPropagation();
          const sure = await confirm({
            title: tr(`归档渠道「${props.channel.name}」？`, `Archive channel "${props.channel.name}"?`),
            content: tr(
              '归档后其二维码和链接失效，扫码的客户不再进入旅程；旅程中也不能再选择它。',
              'Its QR codes and links stop working, so customers who scan them no longer enter journeys; journeys can no longer pick it.',
            ),
            okText: tr('归档', 'Archive'),
            danger: true,
          });
          if (!sure) return;
          setError('');
          try {
            await api.channels.archive.mutate({ id: props.channel.id });
            props.onDone();
          } catch (err) {
            setError(errorText(err));
          }
        }}
      >
        {tr('归档', 'Archive')}
      </Button>
      {error && <span className="field-message">{error}</span>}
    </>
  );
}
