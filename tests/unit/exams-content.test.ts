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

describe('the content check', () => {
  const bank = banks.get('scrum-guide-2020.json')!;

  it('covers every section of the Scrum Guide with at least 200 questions', () => {
    expect(bank.questions.length).toBeGreaterThanOrEqual(200);
    const sections = bank.sources.find((s) => s.id === 'scrum-guide-2020')!.sections;
    for (const heading of ['Scrum Theory', 'Scrum Values', 'Scrum Team', 'Developers', 'Product Owner', 'Scrum Master', 'The Sprint', 'Sprint Planning', 'Daily Scrum', 'Sprint Review', 'Sprint Retrospective', 'Product Backlog', 'Commitment: Product Goal', 'Sprint Backlog', 'Commitment: Sprint Goal', 'Increment', 'Commitment: Definition of Done']) {
      expect(sections).toContain(heading);
    }
    // bankProblems (above) reports a listed section no question cites, so every one is covered.
  });

  it.each(files)('rejects every question of %s when a wrong option is marked correct instead', (name) => {
    const bank = banks.get(name)!;
    let rejected = 0;
    let tried = 0;
    for (const q of bank.questions) {
      const wrong = q.options.findIndex((_, i) => !q.correct.includes(i));
      const misMarked = q.kind === 'multiple' ? [...q.correct.slice(1), wrong] : [wrong];
      tried++;
      if (supportProblems({ ...q, correct: misMarked }, bank.sources).length > 0) rejected++;
    }
    expect(rejected).toBe(tried);
  });

  it('rejects an explanation that argues for another option, a missing choose count and an unknown section', () => {
    const base = {
      kind: 'single' as const,
      stem: 'How long is the Daily Scrum?',
      options: ['15 minutes', '30 minutes'],
      correct: [0],
      explanation: 'The Daily Scrum is a 15-minute event for the Developers of the Scrum Team.',
      source: { document: 'scrum-guide-2020', section: 'Daily Scrum' },
    };
    expect(supportProblems(base, bank.sources)).toEqual([]);
    expect(supportProblems({ ...base, explanation: 'The Daily Scrum is a 30-minute event held every working day of the Sprint.' }, bank.sources).join()).toMatch(/does not mention|better supported/);
    expect(supportProblems({ ...base, source: { ...base.source, section: 'Daily Stand-up' } }, bank.sources).join()).toMatch(/does not list/);
    expect(supportProblems({ ...base, source: { ...base.source, document: 'a-blog' } }, bank.sources).join()).toMatch(/not one of the bank's sources/);
    const multi = { ...base, kind: 'multiple' as const, stem: 'Which are Scrum values?', options: ['Focus', 'Courage', 'Speed'], correct: [0, 1], explanation: 'Focus and Courage are two of the five Scrum values.' };
    expect(supportProblems(multi, bank.sources).join()).toMatch(/how many to choose/);
    expect(supportProblems({ ...multi, stem: 'Which are Scrum values? (Choose 3)' }, bank.sources).join()).toMatch(/says choose 3 but marks 2/);
    expect(supportProblems({ ...multi, stem: 'Which are Scrum values? (Choose two)' }, bank.sources)).toEqual([]);
    const tf = { ...base, kind: 'truefalse' as const, stem: 'The Daily Scrum is 15 minutes.', options: ['True', 'False'], correct: [1], explanation: 'True. The Daily Scrum is a 15-minute event for the Developers.' };
    expect(supportProblems(tf, bank.sources).join()).toMatch(/marked False but its explanation says True/);
  });
});

describe('the exam format catalog', () => {
  const catalog = formatsFileSchema.parse(JSON.parse(fs.readFileSync(path.join(ASSETS_DIR, 'exams', 'formats.json'), 'utf8')));

  it('names only topics of its banks, and banks that exist', () => {
    const bankIds = new Set([...banks.values()].map((b) => b.id));
    const topics = new Set([...banks.values()].flatMap((b) => b.topics.map((t) => t.id)));
    for (const f of catalog.formats) {
      for (const b of f.banks) expect(bankIds, `${f.key} bank ${b}`).toContain(b);
      for (const t of Object.keys(f.topicWeights)) expect(topics, `${f.key} topic ${t}`).toContain(t);
    }
  });

  it('confirms only the PSM I values the research notes confirm; every other value is "not confirmed"', () => {
    for (const f of catalog.formats) {
      const values = [f.questions.value, f.minutes.value, f.passMark.value];
      if (f.key === 'psm-1') {
        expect(values).toEqual([80, 60, 0.85]);
        for (const v of [f.questions, f.minutes, f.passMark]) expect(v.source).toBe('https://www.scrum.org/professional-scrum-master-i-certification');
      } else {
        expect(values, f.key).toEqual([null, null, null]);
      }
    }
  });
});
