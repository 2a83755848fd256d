import { NODE_CATEGORIES, parsePauseReason } from '@siyu/shared';
import { router, viewerProcedure } from '../trpc.ts';

/**
 * The node types this server runs: each package with its types, their current version and the
 * migrations they carry; plus the types that journeys use but no installed package defines
 * (a package missing, or skipped by discovery), with the journeys they stop.
 */
export const nodesRouter = router({
  list: viewerProcedure.query(async ({ ctx }) => {
    const packages = ctx.registry.packages.map((pkg) => ({
      name: pkg.name,
      label: pkg.label,
      nodes: pkg.nodes.map((node) => ({
        type: node.type,
        version: node.version,
        category: node.category,
        label: node.label,
        description: node.description ?? null,
        icon: node.icon,
        entry: node.entry !== undefined,
        effect: node.effect !== undefined,
        /** Config versions a saved graph may still be at: each upgrades to the next on load and publish. */
        migrations: (node.migrations ?? []).map((m) => ({ from: m.from, to: m.from + 1, name: m.name })),
      })),
    }));
    // Live and engine-paused journeys only: drafts report unknown types through validation.
    const rows = await ctx.db.sql.all<{
      id: string;
      name: string;
      pausedReason: string | null;
      version: number;
      graph: string;
    }>(
      `SELECT j.id, j.name, j.pausedReason, v.version, v.graph FROM Journey j JOIN JourneyVersion v ON v.id = j.liveVersionId
       WHERE j.status = 'live' OR j.pausedReason IS NOT NULL`,
    );
    const missing = new Map<string, Array<{ journeyId: string; name: string; version: number; paused: boolean }>>();
    for (const row of rows) {
      const graph = JSON.parse(row.graph) as { nodes: Array<{ type: string }> };
      for (const type of new Set(graph.nodes.map((n) => n.type))) {
        if (ctx.registry.get(type)) continue;
        const list = missing.get(type) ?? [];
        list.push({
          journeyId: row.id,
          name: row.name,
          version: row.version,
          paused: parsePauseReason(row.pausedReason) !== undefined,
        });
        missing.set(type, list);
      }
    }
    return {
      categories: NODE_CATEGORIES,
      packages,
      missing: [...missing].map(([type, journeys]) => ({ type, package: type.split('.')[0] ?? type, journeys })),
    };
  }),
});
