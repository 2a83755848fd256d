// SMS sign names and templates the provider approved (in its console), registered so SMS nodes
// pick one and map its variables: operators register them, anyone signed in lists them. A
// registered template is not edited: a changed text is a new template at the provider (new code).
import { randomUUID } from 'node:crypto';
import { RegisterSmsTemplateSchema, templateVariableNames } from '@siyu/nodes-sms';
import { thenAudit } from '../../audit/record.ts';
import { apiError } from '../api-error.ts';
import { operatorProcedure, router, viewerProcedure } from '../trpc.ts';

export const smsTemplatesRouter = router({
  list: viewerProcedure.query(async ({ ctx }) => {
    const rows = await ctx.db.prisma.smsTemplate.findMany({ orderBy: { createdAt: 'desc' } });
    return rows.map((r) => ({
      ...r,
      kind: r.kind === 'marketing' ? ('marketing' as const) : ('notice' as const),
      variables: templateVariableNames(r.text),
    }));
  }),

  register: operatorProcedure.input(RegisterSmsTemplateSchema).mutation(async ({ ctx, input }) => {
    const taken = await ctx.db.prisma.smsTemplate.findUnique({
      where: { provider_templateCode: { provider: input.provider, templateCode: input.templateCode } },
    });
    if (taken) throw apiError('CONFLICT', 'smsTemplates.exists', { templateCode: input.templateCode });
    const created = await ctx.db.prisma.smsTemplate
      .create({ data: { id: `smt_${randomUUID().replaceAll('-', '').slice(0, 20)}`, ...input } })
      .catch((error: unknown) => {
        // Registered at the same moment by someone else: the unique index answers, as above.
        if ((error as { code?: string }).code === 'P2002') {
          throw apiError('CONFLICT', 'smsTemplates.exists', { templateCode: input.templateCode }, error);
        }
        throw error;
      });
    return thenAudit(
      ctx,
      'smsTemplates.register',
      { type: 'smsTemplate', id: created.id },
      {
        name: input.name,
        templateCode: input.templateCode,
      },
    )(created);
  }),
});
