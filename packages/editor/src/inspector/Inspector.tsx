import { formatPath, type GraphProblem, type JourneySettings, JourneySettingsSchema, zodIssueText } from '@siyu/shared';
import { useMemo } from 'react';
import { useEditor } from '../app/editor-context.ts';
import { useLocale } from '../app/i18n.ts';
import { parseConfigPath, problemText } from '../app/problem-labels.ts';
import type { FlowNode } from '../model/flow-graph.ts';
import { toJsonSchema } from './json-schema.ts';
import { SchemaForm } from './SchemaForm.tsx';

/** Right-hand panel: the selected node's generated config form, or the journey settings. */
export function Inspector(props: {
  node: FlowNode | undefined;
  problems: GraphProblem[];
  settings: JourneySettings;
  onSettings: (settings: JourneySettings) => void;
}) {
  const { t } = useLocale();
  return (
    <aside className="inspector" data-testid="inspector">
      {props.node ? (
        <NodeInspector node={props.node} problems={props.problems} />
      ) : (
        <>
          <h3>{t('inspector:inspector.journeySettings')}</h3>
          <SettingsForm settings={props.settings} onChange={props.onSettings} />
        </>
      )}
    </aside>
  );
}

function NodeInspector({ node, problems }: { node: FlowNode; problems: GraphProblem[] }) {
  const { registry, updateNode } = useEditor();
  const { loc, t, locale } = useLocale();
  const definition = registry.get(node.data.nodeType);
  const schema = useMemo(() => (definition ? toJsonSchema(definition.config) : undefined), [definition]);
  const errors = useMemo(() => {
    const map = new Map<string, string>();
    // Under its field a problem says only what is wrong (the field's label is right above it).
    for (const p of problems) if (p.path) map.set(p.path, loc(p.detail ?? p.message));
    return map;
  }, [problems, loc]);
  // A problem with a field of the form is said under that field; the list has the others (said once).
  const listed = problems.filter((p) => !(p.path && schema?.properties?.[parseConfigPath(p.path)[0] as string]));
  if (!definition || !schema) {
    return <p className="warn">{t('inspector:inspector.unknownNodeTypeNodeType', { nodeType: node.data.nodeType })}</p>;
  }
  return (
    <div data-testid="node-inspector">
      <h3>{loc(definition.label)}</h3>
      {definition.description && <p className="muted">{loc(definition.description)}</p>}
      <label className="field">
        <span className="field-label">{t('inspector:inspector.nodeName')}</span>
        <input
          value={node.data.label ?? ''}
          placeholder={loc(definition.label)}
          onChange={(e) => updateNode(node.id, { label: e.target.value || undefined })}
        />
      </label>
      <SchemaForm
        schema={schema}
        value={node.data.config}
        errors={errors}
        onChange={(config) => updateNode(node.id, { config })}
      />
      {listed.length > 0 && (
        <ul className="problem-list compact">
          {listed.map((p) => (
            <li key={`${p.code}-${p.path ?? p.edgeId ?? ''}`}>{problemText(p, definition.config, locale)}</li>
          ))}
        </ul>
      )}
      {/* The node's type and version in words; its id and type key only on hover, for support. */}
      <p className="muted" title={`${node.id} · ${node.data.nodeType} v${node.data.typeVersion}`}>
        {t('inspector:inspector.labelVersionTypeVersion', {
          label: loc(definition.label),
          typeVersion: node.data.typeVersion,
        })}
      </p>
    </div>
  );
}

function SettingsForm({ settings, onChange }: { settings: JourneySettings; onChange: (s: JourneySettings) => void }) {
  const schema = useMemo(() => toJsonSchema(JourneySettingsSchema), []);
  const { loc } = useLocale();
  const errors = useMemo(() => {
    const parsed = JourneySettingsSchema.safeParse(settings);
    const map = new Map<string, string>();
    if (!parsed.success)
      for (const issue of parsed.error.issues) map.set(formatPath(issue.path), loc(zodIssueText(issue)));
    return map;
  }, [settings, loc]);
  return (
    <div data-testid="settings-form">
      <SchemaForm schema={schema} value={settings} errors={errors} onChange={(v) => onChange(v as JourneySettings)} />
    </div>
  );
}
