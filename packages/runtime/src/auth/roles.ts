import { z } from 'zod';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** admin ⊃ operator ⊃ viewer: a role may do what every lower role may. */
export function roleAllows(actual: Role, needed: Role): boolean {
  return ROLES.indexOf(actual) >= ROLES.indexOf(needed);
}

/** What an API key may do; keys never read customer data. */
export const API_SCOPES = ['events:write', 'customers:import', 'runs:enroll'] as const;
export const ApiScopeSchema = z.enum(API_SCOPES);
export type ApiScope = z.infer<typeof ApiScopeSchema>;
