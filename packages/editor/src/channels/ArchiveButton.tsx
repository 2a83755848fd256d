import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { api } from '../app/server-api.ts';

/** 归档 after a confirm: the channel's links stop working (/r/<code> answers 404) and it leaves the pickers. */
export function ArchiveButton(props: { channel: { id: string; name: string }; onDone: () => void }) {
  const { tr } = useLocale();
  const [error, setError] = useState('');
  return (
    <>
      <button
        type="button"
        className="link danger"
        data-testid="archive-channel"
        onClick={async (e) => {
          e.stopPropagation();
          const sure = window.confirm(
            tr(
              `归档渠道「${props.channel.name}」？归档后其二维码和链接失效，旅程中也不能再选择它。`,
              `Archive channel "${props.channel.name}"? Its QR codes and links stop working and journeys can no longer pick it.`,
            ),
          );
          if (!sure) return;
          setError('');
          try {
            await api.channels.archive.mutate({ id: props.channel.id });
            props.onDone();
          } catch (err) {
            setError((err as Error).message);
          }
        }}
      >
        {tr('归档', 'Archive')}
      </button>
      {error && <span className="field-message">{error}</span>}
    </>
  );
}
