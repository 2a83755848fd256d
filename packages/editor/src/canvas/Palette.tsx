import { type AnyNodeDefinition, NODE_CATEGORIES } from '@siyu/shared';
import { useState } from 'react';
import { useEditor } from '../app/editor-context.ts';
import { useLocale } from '../app/i18n.ts';
import { CATEGORY_COLORS, iconFor } from './icons.ts';

export const DRAG_MIME = 'application/x-siyu-node-type';

/** Every node type in the registry, grouped by category; drag onto the canvas or click to add. */
export function Palette({ onAdd }: { onAdd: (type: string) => void }) {
  const { registry } = useEditor();
  const { loc, t } = useLocale();
  const [query, setQuery] = useState('');
  const match = (d: AnyNodeDefinition) => {
    const q = query.trim().toLowerCase();
    return !q || loc(d.label).toLowerCase().includes(q) || d.type.toLowerCase().includes(q);
  };
  return (
    <aside className="palette" data-testid="palette">
      <input
        className="palette-search"
        placeholder={t('canvas:palette.searchNodes')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {registry.list().length === 0 && <p className="muted">{t('canvas:palette.noNodePackagesFound')}</p>}
      {NODE_CATEGORIES.map((category) => {
        const defs = registry.byCategory(category).filter(match);
        if (defs.length === 0) return null;
        return (
          <section key={category}>
            <h4>{t(`canvas:palette.categories.${category}`)}</h4>
            {defs.map((d) => (
              <button
                type="button"
                key={d.type}
                className="palette-item"
                draggable
                data-node-type={d.type}
                style={{ '--jn-color': CATEGORY_COLORS[d.category] } as React.CSSProperties}
                title={d.description ? loc(d.description) : d.type}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_MIME, d.type);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onDoubleClick={() => onAdd(d.type)}
              >
                <span className="palette-icon">{iconFor(d.icon, d.category)}</span>
                <span>{loc(d.label)}</span>
              </button>
            ))}
          </section>
        );
      })}
    </aside>
  );
}
