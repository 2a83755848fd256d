import {
  readWorkspaceSettings,
  updateWorkspaceSettings,
  WorkspaceSettingsUpdateSchema,
} from '../../settings/workspace-settings.ts';
import { adminProcedure, router, viewerProcedure } from '../trpc.ts';

/** Workspace settings (settings/workspace-settings.ts): everyone reads them, admins change them. */
export const settingsRouter = router({
  get: viewerProcedure.query(({ ctx }) => readWorkspaceSettings(ctx.db)),
  update: adminProcedure
    .input(WorkspaceSettingsUpdateSchema)
    .mutation(({ ctx, input }) => updateWorkspaceSettings(ctx.db, input, ctx.operator.username)),
});
