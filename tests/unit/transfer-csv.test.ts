import { afterEach, describe, expect, it } from 'vitest';
import type { CsvColumn } from '../../shared/contract/transfer';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const enc = (s: string) => new TextEncoder().encode(s);

async function stage(text: string | Uint8Array, name = 'terms.csv') {
  return (await core.call('files.stage', { name, bytes: new Uint8Array(typeof text === 'string' ? enc(text) : text) })).stagedId;
}

interface NoteRow {
  guid: string;
  note_type_id: number;
  fields: string;
  tags: string;
}
function notes(): (NoteRow & { deck: string; cards: number })[] {
  return core.ctx.db
    .prepare(
      `SELECT n.guid, n.note_type_id, n.fields, n.tags, d.name AS deck, count(c.id) AS cards
         FROM notes n JOIN cards c ON c.note_id = n.id JOIN decks d ON d.id = c.deck_id
        WHERE n.guid NOT LIKE 'starter:%' GROUP BY n.id ORDER BY n.id`,
    )
    .all() as never;
}
const field = (c: number): CsvColumn => ({ kind: 'field', field: c });

describe('CSV preview', () => {
  it('detects the separator, reads quotes and suggests a mapping', async () => {
    core = await makeTestCore();
    const stagedId = await stage('Front;Back\n"Sprint; a time-box";"One month\nor less"\nVelocity;"Work ""done"" per sprint"\n');
    const p = await core.call('import.csvPreview', { stagedId });
    expect(p.separator).toBe('semicolon');
    expect(p.separatorSource).toBe('detected');
    expect(p.columnCount).toBe(2);
    expect(p.rowCount).toBe(3);
    expect(p.rows[1]).toEqual(['Sprint; a time-box', 'One month\nor less']);
    expect(p.rows[2]).toEqual(['Velocity', 'Work "done" per sprint']);
    expect(p.suggested).toMatchObject({ noteTypeId: 1, columns: [field(0), field(1)], skipFirstRow: true });
    expect(p.problems).toEqual([]);
    expect(p.noteTypes.map((t) => t.name)).toContain('Cloze');
  });

  it("follows Anki's header lines", async () => {
    core = await makeTestCore();
    const text = [
      '#separator:Pipe',
      '#html:true',
      '#tags:pmp exam',
      '#deck:PMI::PMP',
      '#notetype:Basic (and reversed card)',
      '#columns:Back|Front|Tags',
      'A document that authorizes a project|Project charter|pmp::initiating',
      'Comment lines are skipped',
    ].join('\n');
    const p = await core.call('import.csvPreview', { stagedId: await stage(text.replace('Comment', '# Comment')) });
    expect(p.separator).toBe('pipe');
    expect(p.separatorSource).toBe('header');
    expect(p.html).toBe(true);
    expect(p.header).toEqual({ deck: 'PMI::PMP', noteType: 'Basic (and reversed card)', tags: ['pmp', 'exam'] });
    expect(p.columnNames).toEqual(['Back', 'Front', 'Tags']);
    expect(p.suggested).toMatchObject({ noteTypeId: 2, deckPath: 'PMI::PMP', columns: [field(1), field(0), { kind: 'tags' }], skipFirstRow: false });
    expect(p.rowCount).toBe(1);
  });

  it('warns of ragged rows with line numbers in the preview, and the separator can be chosen instead', async () => {
    core = await makeTestCore();
    const stagedId = await stage('a\tb\nc\td\te\nf\tg\n');
    const p = await core.call('import.csvPreview', { stagedId });
    expect(p.problems[0]).toContain('Line 2 will be skipped: it has 3 columns, but the file has 2');
    expect(p.rowCount).toBe(2);
    expect((await core.call('import.csvPreview', { stagedId, separator: 'comma' })).columnCount).toBe(1);
  });

  it('refuses text that is not UTF-8, saying where', async () => {
    core = await makeTestCore();
    const latin1 = Uint8Array.from([...enc('Front,Back\nCaf'), 0xe9, ...enc(',coffee\n')]);
    const err = await core.fail('import.csvPreview', { stagedId: await stage(latin1) });
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('not valid UTF-8');
    expect(err.message).toContain('line 2');
  });
});

describe('CSV import', () => {
  it('imports rows as notes with the chosen mapping, deck and tags, escaping HTML unless allowed', async () => {
    core = await makeTestCore();
    const stagedId = await stage('Term,Meaning,Tags\nWIP,Work in progress <b>limit</b>,kanban flow\nMVP,Minimum viable product,lean\n');
    const summary = await core.call('import.csv', {
      stagedId,
      jobId: 'csv-1',
      noteTypeId: 1,
      deckPath: 'Agile::Terms',
      columns: [field(0), field(1), { kind: 'tags' }],
      tags: ['imported'],
      skipFirstRow: true,
    });
    expect(summary.notes).toEqual({ added: 2, updated: 0, unchanged: 0, skipped: 0 });
    expect(summary.cardsAdded).toBe(2);
    expect(summary.decks).toEqual(['Agile::Terms']);
    const rows = notes();
    expect(rows.map((r) => JSON.parse(r.fields))).toEqual([
      ['WIP', 'Work in progress &lt;b&gt;limit&lt;/b&gt;'],
      ['MVP', 'Minimum viable product'],
    ]);
    expect(rows[0]).toMatchObject({ tags: ' kanban flow imported ', deck: 'Terms', cards: 1 });
    expect(core.events.some((e) => e.name === 'transfer.progress')).toBe(true);
  });

  it('updates notes with the same first field instead of duplicating, or keeps them if asked', async () => {
    core = await makeTestCore();
    const base = { jobId: 'csv', noteTypeId: 1, deckPath: 'Terms', columns: [field(0), field(1)] };
    await core.call('import.csv', { ...base, stagedId: await stage('WIP,Work in progress\nMVP,Minimum viable product\n') });
    const again = await core.call('import.csv', { ...base, stagedId: await stage('WIP,Work in progress (limit it)\nMVP,Minimum viable product\nOKR,Objectives and key results\n') });
    expect(again.notes).toEqual({ added: 1, updated: 1, unchanged: 1, skipped: 0 });
    expect(JSON.parse(notes()[0]!.fields)[1]).toBe('Work in progress (limit it)');
    const kept = await core.call('import.csv', { ...base, duplicates: 'keep', stagedId: await stage('WIP,Something else\n') });
    expect(kept.notes.skipped).toBe(1);
    expect(kept.skipped[0]!.reason).toContain('kept as it is');
    expect(notes()).toHaveLength(3);
  });

  it('a first field repeated within one file updates the note the file just added', async () => {
    core = await makeTestCore();
    const base = { jobId: 'csv', noteTypeId: 1, deckPath: 'Terms', columns: [field(0), field(1)] };
    const result = await core.call('import.csv', { ...base, stagedId: await stage('OKR,Objectives\nMVP,Minimum viable product\nOKR,Objectives and key results\n') });
    expect(result.notes).toEqual({ added: 2, updated: 1, unchanged: 0, skipped: 0 });
    expect(notes().map((n) => JSON.parse(n.fields) as string[])).toEqual([
      ['OKR', 'Objectives and key results'],
      ['MVP', 'Minimum viable product'],
    ]);
  });

  it('takes note type, deck and note id from columns, and reports rows it cannot use', async () => {
    core = await makeTestCore();
    const text = [
      '#separator:Tab',
      '#notetype column:1',
      '#deck column:2',
      '#guid column:3',
      'Cloze\tScrum\tg-1\t{{c1::Three}} accountabilities\tScrum Guide',
      'Basic (and reversed card)\tScrum::Roles\tg-2\tProduct Owner\tMaximizes value',
      'Flashcard XL\tScrum\tg-3\tOops\tNo such type',
      'Basic\tScrum\tg-4\t\tEmpty front',
    ].join('\n');
    const stagedId = await stage(text, 'mixed.tsv');
    const preview = await core.call('import.csvPreview', { stagedId });
    expect(preview.suggested.columns).toEqual([{ kind: 'noteType' }, { kind: 'deck' }, { kind: 'guid' }, field(0), field(1)]);
    const summary = await core.call('import.csv', { stagedId, jobId: 'mixed', noteTypeId: 1, deckPath: 'Fallback', columns: preview.suggested.columns });
    expect(summary.notes).toEqual({ added: 2, updated: 0, unchanged: 0, skipped: 2 });
    expect(summary.skipped.map((s) => s.reason).join(' | ')).toContain('Unknown note type "Flashcard XL"');
    expect(summary.skipped.map((s) => s.reason).join(' | ')).toContain('must not be empty');
    const rows = notes();
    expect(rows.map((r) => [r.guid, r.note_type_id, r.deck, r.cards])).toEqual([
      ['g-1', 3, 'Scrum', 1],
      ['g-2', 2, 'Roles', 2],
    ]);
  });

  it('re-imports its own CSV export without duplicates and applies edits by note id', async () => {
    core = await makeTestCore();
    await core.call('import.csv', {
      stagedId: await stage('Velocity,Work done per sprint,agile\n"Burn-down, chart","Remaining work, over time",agile charts\n'),
      jobId: 'a',
      noteTypeId: 2,
      deckPath: 'Agile::Metrics',
      columns: [field(0), field(1), { kind: 'tags' }],
    });
    const deckId = (core.ctx.db.prepare("SELECT id FROM decks WHERE name = 'Agile' AND parent_id IS NULL").get() as { id: number }).id;
    const exported = await core.call('export.csv', { deckId });
    expect(exported).toMatchObject({ notes: 2, cards: 4, fileName: 'Agile.csv' });
    const file = core.ctx.paths.exportsDir + '/' + exported.downloadName;
    const text = (await import('node:fs')).readFileSync(file, 'utf8');
    expect(text.split('\n').slice(0, 6)).toEqual(['#separator:Comma', '#html:true', '#guid column:1', '#notetype column:2', '#deck column:3', '#tags column:6']);
    expect(text).toContain('"Burn-down, chart","Remaining work, over time",agile charts');

    const same = await core.call('import.csvPreview', { stagedId: await stage(text) });
    const summary = await core.call('import.csv', { stagedId: await stage(text), jobId: 'b', noteTypeId: 1, deckPath: 'X', columns: same.suggested.columns });
    expect(summary.notes).toEqual({ added: 0, updated: 0, unchanged: 2, skipped: 0 });
    const edited = text.replace('Work done per sprint', 'Story points done per sprint');
    const again = await core.call('import.csv', { stagedId: await stage(edited), jobId: 'c', noteTypeId: 1, deckPath: 'X', columns: same.suggested.columns });
    expect(again.notes).toEqual({ added: 0, updated: 1, unchanged: 1, skipped: 0 });
    expect(notes().map((n) => JSON.parse(n.fields)[1])).toContain('Story points done per sprint');
  });

  it("keeps the fields no column fills when it updates a note (Anki's text-update case)", async () => {
    core = await makeTestCore();
    const base = { jobId: 'csv', noteTypeId: 1, deckPath: 'Numbers' };
    await core.call('import.csv', { ...base, columns: [field(0), field(1)], stagedId: await stage('1\t2\n') });
    // The same first field, the second column mapped to "(ignore)": the Back field keeps "2".
    const summary = await core.call('import.csv', { ...base, columns: [field(0), { kind: 'ignore' }], stagedId: await stage('1\tx\n') });
    expect(summary.notes).toEqual({ added: 0, updated: 0, unchanged: 1, skipped: 0 });
    expect(notes().map((n) => JSON.parse(n.fields) as string[])).toEqual([['1', '2']]);
    // A mapped field still changes, and the unmapped one is still kept: matched by note id this time.
    const guid = notes()[0]!.guid;
    const byId = await core.call('import.csv', {
      ...base,
      columns: [{ kind: 'guid' }, { kind: 'ignore' }, field(1)],
      stagedId: await stage(`${guid}\tnew front\tthree\n`),
    });
    expect(byId.notes.updated).toBe(1);
    expect(notes().map((n) => JSON.parse(n.fields) as string[])).toEqual([['1', 'three']]);
  });

  it('imports the good rows of a file with malformed lines and lists the bad ones by line number', async () => {
    core = await makeTestCore();
    const text = [
      '#separator:Comma',
      'Sprint,A time-box',
      'Velocity,Work done,per sprint', // line 3: three columns
      'Increment,A usable step',
      'Backlog', // line 5: one column
      'Product Goal,"The long-term objective"',
    ].join('\n');
    const stagedId = await stage(text);
    const preview = await core.call('import.csvPreview', { stagedId });
    expect(preview.columnCount).toBe(2);
    expect(preview.rowCount).toBe(3);
    expect(preview.problems).toHaveLength(2);
    const summary = await core.call('import.csv', { stagedId, jobId: 'bad', noteTypeId: 1, deckPath: 'Scrum', columns: [field(0), field(1)] });
    expect(summary.notes).toEqual({ added: 3, updated: 0, unchanged: 0, skipped: 2 });
    expect(summary.badLines).toEqual([
      { line: 3, reason: 'it has 3 columns, but the file has 2 (check its quotes and separators)' },
      { line: 5, reason: 'it has 1 column, but the file has 2 (check its quotes and separators)' },
    ]);
    expect(summary.skipped[0]).toMatchObject({ count: 2, examples: ['line 3', 'line 5'] });
    expect(notes().map((n) => (JSON.parse(n.fields) as string[])[0])).toEqual(['Sprint', 'Increment', 'Product Goal']);
  });

  it('a quote never closed spoils only its own row: the rows before it are imported and the line is named', async () => {
    core = await makeTestCore();
    const stagedId = await stage('Sprint,A time-box\nVelocity,"Work done\nIncrement,A usable step\n');
    const summary = await core.call('import.csv', { stagedId, jobId: 'q', noteTypeId: 1, deckPath: 'Scrum', columns: [field(0), field(1)] });
    expect(summary.notes.added).toBe(1);
    expect(summary.badLines).toEqual([{ line: 2, reason: expect.stringContaining('a quoted field is never closed') }]);
  });

  it('refuses a file none of whose lines can be read, changing nothing', async () => {
    core = await makeTestCore();
    const err = await core.fail('import.csvPreview', { stagedId: await stage('"never closed,at all\n'), separator: 'comma' });
    expect(err.code).toBe('invalid_input');
    expect(err.message).toContain('None of the file');
    expect(notes()).toEqual([]);
  });

  it('rolls back a cancelled CSV import completely', async () => {
    core = await makeTestCore();
    const decksBefore = core.ctx.db.prepare('SELECT * FROM decks ORDER BY id').all();
    const lines = Array.from({ length: 1500 }, (_, i) => `Term ${i},Meaning ${i}`).join('\n');
    const stagedId = await stage(lines);
    const running = core.fail('import.csv', { stagedId, jobId: 'big', noteTypeId: 1, deckPath: 'Big', columns: [field(0), field(1)] });
    while (!core.events.some((e) => e.name === 'transfer.progress' && (e.payload as { phase: string }).phase === 'writing')) {
      await new Promise((r) => setImmediate(r));
    }
    await core.call('transfer.cancel', { jobId: 'big' });
    expect((await running).code).toBe('cancelled');
    expect(notes()).toEqual([]);
    expect(core.ctx.db.prepare('SELECT * FROM decks ORDER BY id').all()).toEqual(decksBefore);
  });
});
