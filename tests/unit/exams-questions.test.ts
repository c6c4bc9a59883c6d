// Question notes through the contract: writing, editing and refusing malformed questions, and the JSON
// and CSV files, including a CSV that went through a spreadsheet and came back.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { QuestionInput } from '../../shared/contract/exams';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const mine: QuestionInput = {
  kind: 'multiple',
  stem: 'Which two are Kanban flow measures? (Choose 2)',
  options: ['Throughput', 'Velocity', 'Cycle time, "start to finish"', 'Story points'],
  correct: [0, 2],
  explanation: 'Throughput and cycle time are flow measures.\nVelocity is a Scrum habit, not a flow measure.',
  source: { document: 'The Kanban Guide', section: 'Flow measures' },
  topics: ['kanban-flow', 'tpm-flow'],
};

function downloaded(c: TestCore, downloadName: string): string {
  return fs.readFileSync(path.join(c.dataDir, 'exports', downloadName), 'utf8');
}

describe('question notes', () => {
  it('saves, edits, finds and deletes a question of your own', async () => {
    core = await makeTestCore();
    const saved = await core.call('questions.save', { question: mine });
    expect(saved).toMatchObject({ bank: 'mine', kind: 'multiple', correct: [0, 2], topics: ['kanban-flow', 'tpm-flow'] });
    const edited = await core.call('questions.save', { id: saved.id, question: { ...mine, correct: [2, 0], stem: 'Pick the two flow measures. (Choose 2)' } });
    expect(edited.stem).toBe('Pick the two flow measures. (Choose 2)');
    expect(edited.correct).toEqual([0, 2]);
    const found = await core.call('questions.list', { query: 'flow measures', bank: 'mine' });
    expect(found.questions.map((q) => q.id)).toEqual([saved.id]);
    const byTopic = await core.call('questions.list', { topic: 'kanban-flow' });
    expect(byTopic.total).toBe(1);
    const overview = await core.call('exams.overview');
    expect(overview.topics.find((t) => t.id === 'kanban-flow')?.name).toBe('Kanban flow');
    await core.call('questions.delete', { id: saved.id });
    expect((await core.fail('questions.get', { id: saved.id })).code).toBe('not_found');
  });

  it.each([
    [{ ...mine, correct: [0] }, 'at least two correct options'],
    [{ ...mine, kind: 'single' as const }, 'exactly one correct option'],
    [{ ...mine, options: ['Only one'], correct: [0] }, 'at least 2 options'],
    [{ ...mine, options: [...mine.options, 'Throughput'] }, 'say the same thing'],
    [{ ...mine, correct: [0, 7] }, 'does not exist'],
    [{ ...mine, kind: 'truefalse' as const, options: ['Yes', 'No'], correct: [0] }, 'True and False'],
    [{ ...mine, topics: ['Not A Topic'] }, 'lower-case words'],
    [{ ...mine, source: { document: '', section: 'x' } }, 'must not be empty'],
  ])('refuses a malformed question and saves nothing (%#)', async (question, message) => {
    core = await makeTestCore();
    const before = (await core.call('questions.list', {})).total;
    const error = await core.fail('questions.save', { question });
    expect(error.code).toBe('invalid_input');
    expect(error.message).toContain(message);
    expect((await core.call('questions.list', {})).total).toBe(before);
  });
});

describe('question files', () => {
  it('round-trips every bundled question through JSON unchanged', async () => {
    core = await makeTestCore();
    const before = (await core.call('questions.list', { limit: 500 })).questions;
    const exported = await core.call('questions.export', { format: 'json' });
    expect(exported.questions).toBe(before.length);
    const result = await core.call('questions.import', { format: 'json', text: downloaded(core, exported.downloadName) });
    expect(result).toEqual({ added: 0, updated: before.length });
    const after = (await core.call('questions.list', { limit: 500 })).questions;
    const strip = (qs: typeof before) => qs.map(({ updatedAt: _u, ...q }) => q);
    expect(strip(after)).toEqual(strip(before));
  });

  it('reads back a CSV that a spreadsheet saved: columns moved, CRLF, TRUE/FALSE upper-cased, trailing empty cells', async () => {
    core = await makeTestCore();
    const own = await core.call('questions.save', { question: mine });
    const tf = await core.call('questions.save', {
      question: { kind: 'truefalse', stem: 'A Sprint is one month or less.', options: ['True', 'False'], correct: [0], explanation: 'True. Sprints are one month or less.', source: { document: 'The 2020 Scrum Guide', section: 'The Sprint' }, topics: ['scrum-events'] },
    });
    const exported = await core.call('questions.export', { format: 'csv', bank: 'mine' });
    const csv = downloaded(core, exported.downloadName);
    expect(csv.startsWith('\uFEFFguid,bank,kind,stem,option_a')).toBe(true);

    // What a spreadsheet does to it: reorders nothing we depend on but moves the stem column last,
    // upper-cases TRUE/FALSE, drops the BOM and quotes differently.
    const lines = csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    const parse = (line: string) => {
      const cells: string[] = [];
      let cell = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i]!;
        if (quoted) {
          if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
          else if (ch === '"') quoted = false;
          else cell += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') cells.push(cell), (cell = '');
        else cell += ch;
      }
      cells.push(cell);
      return cells;
    };
    // The explanation holds a line break: join the rows a quoted newline split.
    const rows: string[] = [];
    for (const line of lines) {
      const open = rows.length > 0 && (rows[rows.length - 1]!.split('"').length - 1) % 2 === 1;
      if (open) rows[rows.length - 1] += `\r\n${line}`;
      else rows.push(line);
    }
    const table = rows.map(parse);
    const stemAt = table[0]!.indexOf('stem');
    const moved = table.map((r) => {
      const copy = r.map((c) => (c === 'True' ? 'TRUE' : c === 'False' ? 'FALSE' : c));
      const [stem] = copy.splice(stemAt, 1);
      return [...copy, stem!];
    });
    const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    const spreadsheet = moved.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';

    await core.call('questions.delete', { id: own.id });
    const result = await core.call('questions.import', { format: 'csv', text: spreadsheet });
    expect(result).toEqual({ added: 1, updated: 1 });
    const back = (await core.call('questions.list', { bank: 'mine' })).questions;
    const pick = (q: (typeof back)[number]) => ({ guid: q.guid, kind: q.kind, stem: q.stem, options: q.options, correct: q.correct, explanation: q.explanation, source: q.source, topics: q.topics });
    expect(back.map(pick).sort((a, b) => a.stem.localeCompare(b.stem))).toEqual([pick(own), pick(tf)].sort((a, b) => a.stem.localeCompare(b.stem)));
  });

  it('refuses a file with one malformed question whole, naming the question', async () => {
    core = await makeTestCore();
    const before = (await core.call('questions.list', {})).total;
    const text = JSON.stringify({ format: 'cadence-questions', version: 1, questions: [mine, { ...mine, correct: [9] }] });
    const error = await core.fail('questions.import', { format: 'json', text });
    expect(error.message).toMatch(/^Question 2 in the file/);
    expect(error.message).toContain('Nothing was imported');
    expect((await core.call('questions.list', {})).total).toBe(before);
    expect((await core.fail('questions.import', { format: 'json', text: 'not json' })).message).toContain('not valid JSON');
    expect((await core.fail('questions.import', { format: 'csv', text: 'a,b\n1,2\n' })).message).toContain('has no kind, stem, correct');
  });
});
