// The bundled question banks and the exam format catalog: schema, the content check (every marked
// answer supported by its explanation and a section of a listed source), coverage and sizes.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bankFileSchema, formatsFileSchema, type BankFile } from '../../electron/core/exams/bankFile';
import { bankProblems, supportProblems } from '../../electron/core/exams/contentCheck';
import { ASSETS_DIR } from './testCore';

const BANK_DIR = path.join(ASSETS_DIR, 'exams', 'banks');
const files = fs.readdirSync(BANK_DIR).filter((n) => n.endsWith('.json')).sort();
const banks = new Map<string, BankFile>(
  files.map((name) => {
    const parsed = bankFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(BANK_DIR, name), 'utf8')));
    if (!parsed.success) throw new Error(`${name}: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`);
    return [name, parsed.data];
  }),
);

describe('question banks', () => {
  it.each(files)('%s passes the content check', (name) => {
    const bank = banks.get(name)!;
    expect(`${bank.id}.json`).toBe(name);
    expect(bankProblems(bank)).toEqual([]);
  });
});
