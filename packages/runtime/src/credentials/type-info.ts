import { type CredentialType, type LocalizedText, secretKeysOf } from '@siyu/shared';
import { z } from 'zod';

/** A credential type as the editor needs it: labels, the form's JSON Schema, which fields are secret. */
export interface CredentialTypeInfo {
  type: string;
  label: LocalizedText;
  description?: LocalizedText;
  jsonSchema: Record<string, unknown>;
  secretFields: string[];
}

export function toCredentialTypeInfo(type: CredentialType): CredentialTypeInfo {
  return {
    type: type.type,
    label: type.label,
    ...(type.description ? { description: type.description } : {}),
    jsonSchema: z.toJSONSchema(type.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    secretFields: secretKeysOf(type.schema),
  };
}
