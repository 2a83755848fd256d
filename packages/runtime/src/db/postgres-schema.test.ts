import { describe, expect, it } from 'vitest';
import { postgresSchemaText } from './postgres-schema.ts';

const sqlite = `generator client {
  provider = "prisma-client"
  output   = "../src/generated/prisma"
}

datasource db {
  provider = "sqlite"
}

model Timer {
  id    Int    @id @default(autoincrement())
  dueAt BigInt
}
`;

describe('postgresSchemaText', () => {
  it('switches the provider and the client folder, and nothing else', () => {
    const text = postgresSchemaText(sqlite);
    expect(text).toContain('provider = "postgresql"');
    expect(text).toContain('output   = "../src/generated/prisma-postgres"');
    expect(text).not.toContain('"sqlite"');
    expect(text.slice(text.indexOf('model Timer'))).toBe(sqlite.slice(sqlite.indexOf('model Timer')));
  });

  it('refuses a model with something it does not know how to carry over', () => {
    expect(() => postgresSchemaText(sqlite.replace('dueAt BigInt', 'blob Bytes'))).toThrow(/uses Bytes/);
    expect(() => postgresSchemaText(sqlite.replace('@default(autoincrement())', '@default(dbgenerated("x"))'))).toThrow(
      /uses dbgenerated/,
    );
  });

  it('fails loudly when the datasource cannot be found (a renamed provider would otherwise slip through)', () => {
    expect(() => postgresSchemaText(sqlite.replace('"sqlite"', '"mysql"'))).toThrow(/datasource provider/);
  });
});
