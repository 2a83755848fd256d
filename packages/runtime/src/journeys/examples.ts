import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issuesOf, JourneyGraphSchema, type NodeRegistry } from '@siyu/shared';
import { z } from 'zod';
import type { AppDatabase } from '../db/app-database.ts';
import { publishDraft } from './publish.ts';
import { exampleTemplateKey } from './templates.ts';

/** `examples/<name>/journey.json`: a bare graph, or a graph with a name, description and publish flag. */
const ExampleFileSchema = z.object({
  name: z.string().min(1).max(100).optional(),
  description: z.string().max(2000).default(''),
  publish: z.boolean().default(false),
  graph: JourneyGraphSchema,
});

export interface ExampleLoadReport {
  loaded: string[];
  /** Already in the database (matched by template key `example:<folder>`). */
  skipped: string[];
  errors: { example: string; message: string }[];
}

/**
 * Loads every examples/<folder>/journey.json as a journey (once: later starts skip it), publishing
 * it when the file asks and the graph validates. A broken example is reported, not fatal.
 */
export async function loadExamples(db: AppDatabase, registry: NodeRegistry, dir: string): Promise<ExampleLoadReport> {
  const report: ExampleLoadReport = { loaded: [], skipped: [], errors: [] };
  if (!existsSync(dir)) return report;
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'journey.json')))
    .map((d) => d.name)
    .sort();
  for (const folder of folders) {
    const templateKey = exampleTemplateKey(folder);
    if (await db.prisma.journey.findFirst({ where: { templateKey } })) {
      report.skipped.push(folder);
      continue;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, folder, 'journey.json'), 'utf8'));
    } catch (error) {
      report.errors.push({ example: folder, message: `journey.json: ${(error as Error).message}` });
      continue;
    }
    const wrapped = typeof raw === 'object' && raw !== null && 'graph' in raw ? raw : { graph: raw };
    const parsed = ExampleFileSchema.safeParse(wrapped);
    if (!parsed.success) {
      report.errors.push({
        example: folder,
        message: issuesOf(parsed.error)
          .map((i) => `${i.path}: ${i.message}`)
          .join('; '),
      });
      continue;
    }
    const { name, description, publish, graph } = parsed.data;
    const id = `j_${randomUUID()}`;
    await db.prisma.journey.create({
      data: { id, name: name ?? folder, description, draft: JSON.stringify(graph), templateKey, createdBy: 'examples' },
    });
    if (publish) {
      const result = await publishDraft(db, registry, id, { by: 'examples', note: 'example' });
      if (!result.ok) {
        report.errors.push({
          example: folder,
          message: `loaded as a draft, not published: ${result.problems.map((p) => `${p.nodeId ?? ''} ${p.message.en}`.trim()).join('; ')}`,
        });
      }
    }
    report.loaded.push(folder);
  }
  return report;
}
