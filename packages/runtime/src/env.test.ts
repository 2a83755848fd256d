import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, parseEnv, requireVariables } from './env.ts';

const Schema = z.object({
  PORT: z.coerce.number().int().default(3000),
  MODE: z.enum(['a', 'b']).optional(),
  KEY: z.string().length(4).optional(),
});

describe('parseEnv', () => {
  it('reads only the schema variables, an empty one as unset', () => {
    expect(parseEnv(Schema, { PORT: '', MODE: 'b', OTHER: 'x' })).toEqual({ PORT: 3000, MODE: 'b' });
  });

  it('names every bad variable with its value, hiding secrets', () => {
    let error: unknown;
    try {
      parseEnv(Schema, { PORT: 'eighty', KEY: 'toolong' }, { what: 'test configuration', secrets: ['KEY'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { message, problems } = error as ConfigError;
    expect(message).toMatch(/^invalid test configuration:\n {2}- PORT="eighty": /);
    expect(problems[1]).toMatch(/^KEY=\(hidden\): /);
    expect(message).not.toContain('toolong');
  });
});

describe('requireVariables', () => {
  it('names each variable without a value and why it is needed', () => {
    expect(() => requireVariables({ A: 'x', B: '' }, ['A', 'B', 'C'], 'MODE=b needs it', { what: 'x' })).toThrow(
      'invalid x:\n  - B: must be set (MODE=b needs it)\n  - C: must be set (MODE=b needs it)',
    );
    expect(() => requireVariables({ A: 'x' }, ['A'], 'why')).not.toThrow();
  });
});
