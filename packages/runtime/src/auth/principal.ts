import type { ApiKeyPrincipal } from './api-keys.ts';
import type { OperatorPrincipal } from './sessions.ts';

/** Who is acting: a signed-in operator or an API key. Domain code (audit, test runs) reads it without importing tRPC. */
export type Principal = OperatorPrincipal | ApiKeyPrincipal;
