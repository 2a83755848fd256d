import { useState } from 'react';
import { useLocale } from '../app/i18n.ts';
import { channelHref } from '../app/routes.ts';
import { api } from '../app/server-api.ts';
import { useLoad } from '../reports/parts.tsx';
import { channelVariantName, kindName, svgDataUrl } from './model.ts';
import './channels.css';

const SIZES = { s: 4, m: 3, l: 2 } as const;

/**
 * The printable QR sheet of a channel: one card per code with the variant name and the tracked URL
 * under the code (SVG from the server, so it prints sharp at any size). The toolbar is not printed.
 */
export function QrSheet({ channelId }: { channelId: string }) {
  const { t, locale } = useLocale();
  const [size, setSize] = useState<keyof typeof SIZES>('m');
  const channel = useLoad(() => api.channels.get.query({ id: channelId }), channelId);
  const codes = useLoad(() => api.channels.qrCodes.query({ channelId, format: 'svg' }), channelId);
  const error = channel.error || codes.error;
  return (
    <main className="qr-sheet" data-testid="qr-sheet" style={{ ['--qr-columns' as string]: SIZES[size] }}>
      <div className="qr-toolbar no-print">
        <a href={channelHref(channelId)} data-testid="qr-back">
          ← {channel.data?.name ?? t('channels:channelsPage.channel')}
        </a>
        <label>
          {t('channels:qrSheet.perRow')}{' '}
          <select value={size} onChange={(e) => setSize(e.target.value as keyof typeof SIZES)}>
            {Object.entries(SIZES).map(([key, columns]) => (
              <option key={key} value={key}>
                {columns}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={() => window.print()} data-testid="print">
          🖨️ {t('channels:qrSheet.print')}
        </button>
        <span className="muted">{t('channels:qrSheet.onlyTheQrCardsAre')}</span>
      </div>
      {error && <p className="field-message no-print">{error}</p>}
      {channel.data && (
        <h1 className="qr-title">
          {channel.data.name} <small>{kindName(channel.data.kind, locale)}</small>
        </h1>
      )}
      <div className="qr-grid">
        {codes.data?.map((q) => (
          <figure className="qr-card" key={q.code} data-testid="qr-card" data-code={q.code}>
            <img src={svgDataUrl(q.image)} alt={`${channelVariantName(q.variant, locale)} ${q.url}`} />
            <figcaption>
              <strong className="qr-variant">{channelVariantName(q.variant, locale)}</strong>
              <span className="qr-url mono">{q.url}</span>
            </figcaption>
          </figure>
        ))}
      </div>
    </main>
  );
}
