import { Handle, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import { useEditor } from '../app/editor-context.ts';
import { useLocale } from '../app/i18n.ts';
import { type FlowNode, INPUT_HANDLE, portsOf } from '../model/flow-graph.ts';
import { CATEGORY_COLORS, iconFor } from './icons.ts';
import { useResourceNames, withResourceNames } from './resource-names.ts';
import { summarize } from './summary.ts';
import { summaryField } from './summary-field.ts';

/** A node on the canvas: icon, title, config summary, and one labelled handle per output port. */
function JourneyNodeCardImpl({ id, data, selected }: NodeProps<FlowNode>) {
  const { registry, problemsByNode, stats, overlay, onNodeCustomers } = useEditor();
  const counts = stats?.get(id);
  const { loc, locale, t } = useLocale();
  const names = useResourceNames();
  const definition = registry.get(data.nodeType);
  const problems = problemsByNode.get(id) ?? [];
  const ports = portsOf(definition, data.config);
  const color = definition ? (CATEGORY_COLORS[definition.category] ?? '#475569') : '#dc2626';
  const isEntry = Boolean(definition?.entry);
  const mark = overlay?.nodes.get(id);
  const className = ['jn', selected ? 'jn-selected' : '', problems.length ? 'jn-invalid' : '', mark ?? ''].join(' ');
  return (
    <div
      className={className}
      style={{ '--jn-color': color } as React.CSSProperties}
      data-node-id={id}
      data-testid="journey-node"
      data-mark={mark}
    >
      {!isEntry && <Handle type="target" position={Position.Left} id={INPUT_HANDLE} className="jn-in" />}
      <div className="jn-head">
        <span className="jn-icon">{definition ? iconFor(definition.icon, definition.category) : '⚠️'}</span>
        <div className="jn-titles">
          <div className="jn-title">{data.label || (definition ? loc(definition.label) : data.nodeType)}</div>
          <div className="jn-type">{definition ? loc(definition.label) : t('canvas:journeyNodeCard.unknownNode')}</div>
        </div>
        {problems.length > 0 && (
          <span className="jn-badge" title={problems.map((p) => loc(p.message)).join('\n')}>
            {problems.length}
          </span>
        )}
      </div>
      {Object.keys(data.config).length > 0 && (
        <div className="jn-summary clamp-2">
          {summarize(
            withResourceNames(definition, data.config, names),
            locale,
            definition && ((key) => summaryField(definition, key, locale)),
          ) || t('canvas:journeyNodeCard.notConfigured')}
        </div>
      )}
      {counts && (
        <div className="jn-stats" data-testid="node-stats">
          <span title={t('canvas:journeyNodeCard.entered')}>↘ {counts.entered}</span>
          <span title={t('canvas:journeyNodeCard.waiting')}>⏳ {counts.waiting}</span>
          <span title={t('canvas:journeyNodeCard.done')}>✓ {counts.completed}</span>
          <span title={t('canvas:journeyNodeCard.failed')} className={counts.failed ? 'bad' : ''}>
            ✕ {counts.failed}
          </span>
          {(counts.outcomeUnknown ?? 0) > 0 && (
            <span
              className="warn"
              title={t('canvas:journeyNodeCard.sendOutcomeUnknownWaitingFor')}
              data-testid="node-outcome-unknown"
            >
              ? {counts.outcomeUnknown}
            </span>
          )}
          {onNodeCustomers && (
            <button
              type="button"
              className="link nodrag"
              onClick={(e) => {
                e.stopPropagation();
                onNodeCustomers(id);
              }}
              data-testid="node-customers-open"
            >
              {t('canvas:journeyNodeCard.customers')}
            </button>
          )}
        </div>
      )}
      {ports.length > 0 && (
        <div className="jn-ports">
          {ports.map((port) => (
            <div className="jn-port" key={port.id}>
              <span className="jn-port-label">{loc(port.label)}</span>
              <Handle type="source" position={Position.Right} id={port.id} className="jn-out" data-port={port.id} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
}

export const JourneyNodeCard = memo(JourneyNodeCardImpl);
