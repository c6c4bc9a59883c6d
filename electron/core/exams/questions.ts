// Question notes: the exam_questions table. Bundled banks are loaded once per collection (like the
// starter decks), so questions the learner deleted stay deleted; questions written in the editor or
// imported live in the bank 'mine' unless a file names another bank.
import { randomUUID } from 'node:crypto';
import type { Question, QuestionInput } from '../../../shared/contract/exams';
import { AppError } from '../../../shared/errors';
import type { CoreContext, Db } from '../context';
import { likeEscape } from '../flashcards/tags';
import type { BankFile } from './bankFile';

export const OWN_BANK = 'mine';

interface QuestionRow {
  id: number;
  guid: string;
  bank: string;
  kind: Question['kind'];
  stem: string;
  options: string;
  correct: string;
  explanation: string;
  source_document: string;
  source_section: string;
  topics: string;
  created_at: number;
  updated_at: number;
}

export function toQuestion(r: QuestionRow): Question {
  return {
    id: r.id,
    guid: r.guid,
    bank: r.bank,
    kind: r.kind,
    stem: r.stem,
    options: JSON.parse(r.options) as string[],
    correct: JSON.parse(r.correct) as number[],
    explanation: r.explanation,
    source: { document: r.source_document, section: r.source_section },
    topics: JSON.parse(r.topics) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const COLUMNS = 'id, guid, bank, kind, stem, options, correct, explanation, source_document, source_section, topics, created_at, updated_at';

/** A question as stored, with the guid and bank it goes under. */
export type StoredQuestion = QuestionInput & { guid: string; bank: string };

export function makeQuestionStore(db: Db) {
  const byId = db.prepare<[number], QuestionRow>(`SELECT ${COLUMNS} FROM exam_questions WHERE id = ?`);
  const byGuid = db.prepare<[string], { id: number }>('SELECT id FROM exam_questions WHERE guid = ?');
  const insert = db.prepare(
    `INSERT INTO exam_questions (guid, bank, kind, stem, options, correct, explanation, source_document, source_section, topic, topics, created_at, updated_at)
     VALUES (@guid, @bank, @kind, @stem, @options, @correct, @explanation, @document, @section, @topic, @topics, @now, @now)`,
  );
  const update = db.prepare(
    `UPDATE exam_questions SET bank = @bank, kind = @kind, stem = @stem, options = @options, correct = @correct, explanation = @explanation,
       source_document = @document, source_section = @section, topic = @topic, topics = @topics, updated_at = @now WHERE id = @id`,
  );
  const remove = db.prepare<[number]>('DELETE FROM exam_questions WHERE id = ?');

  function params(q: StoredQuestion, now: number) {
    return {
      guid: q.guid,
      bank: q.bank,
      kind: q.kind,
      stem: q.stem,
      options: JSON.stringify(q.options),
      correct: JSON.stringify([...q.correct].sort((a, b) => a - b)),
      explanation: q.explanation,
      document: q.source.document,
      section: q.source.section,
      topic: q.topics[0]!,
      topics: JSON.stringify(q.topics),
      now,
    };
  }

  function get(id: number): Question {
    const row = byId.get(id);
    if (!row) throw new AppError('not_found', 'That question no longer exists. It may have been deleted; go back to the question list.');
    return toQuestion(row);
  }

  function create(q: QuestionInput, now: number, bank = OWN_BANK, guid: string = randomUUID()): Question {
    if (byGuid.get(guid)) throw new AppError('conflict', 'A question with this identity already exists.');
    const id = Number(insert.run(params({ ...q, guid, bank }, now)).lastInsertRowid);
    return get(id);
  }

  function edit(id: number, q: QuestionInput, now: number): Question {
    const current = get(id);
    update.run({ ...params({ ...q, guid: current.guid, bank: current.bank }, now), id });
    return get(id);
  }

  /** Adds or replaces by guid (imports): returns whether it was added. */
  function upsert(q: StoredQuestion, now: number): 'added' | 'updated' {
    const existing = byGuid.get(q.guid);
    if (existing) {
      update.run({ ...params(q, now), id: existing.id });
      return 'updated';
    }
    insert.run(params(q, now));
    return 'added';
  }

  function del(id: number): void {
    if (remove.run(id).changes === 0) throw new AppError('not_found', 'That question no longer exists.');
  }

  function list(filter: { bank?: string | undefined; topic?: string | undefined; query: string; offset: number; limit: number }): { questions: Question[]; total: number } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.bank) {
      where.push('bank = ?');
      args.push(filter.bank);
    }
    if (filter.topic) {
      where.push('EXISTS (SELECT 1 FROM json_each(topics) WHERE value = ?)');
      args.push(filter.topic);
    }
    for (const word of filter.query.split(/\s+/).filter(Boolean).slice(0, 8)) {
      where.push("(stem LIKE ? ESCAPE '\\' OR options LIKE ? ESCAPE '\\' OR explanation LIKE ? ESCAPE '\\')");
      const like = `%${likeEscape(word)}%`;
      args.push(like, like, like);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // A few hundred to a few thousand rows: built per call, the filters vary.
    const total = (db.prepare(`SELECT count(*) AS n FROM exam_questions ${clause}`).get(...args) as { n: number }).n;
    const rows = db.prepare(`SELECT ${COLUMNS} FROM exam_questions ${clause} ORDER BY bank, id LIMIT ? OFFSET ?`).all(...args, filter.limit, filter.offset) as QuestionRow[];
    return { questions: rows.map(toQuestion), total };
  }

  function all(bank?: string): Question[] {
    const rows = (bank === undefined
      ? db.prepare(`SELECT ${COLUMNS} FROM exam_questions ORDER BY bank, id`).all()
      : db.prepare(`SELECT ${COLUMNS} FROM exam_questions WHERE bank = ? ORDER BY id`).all(bank)) as QuestionRow[];
    return rows.map(toQuestion);
  }

  return { get, create, edit, upsert, delete: del, list, all };
}
export type QuestionStore = ReturnType<typeof makeQuestionStore>;

/**
 * Loads the bank files this collection has not had yet, each in full, in one transaction. A source id
 * becomes its title, so a question carries a document name a person recognises.
 */
export function seedBanks(ctx: CoreContext, banks: readonly BankFile[]): number {
  const { db } = ctx;
  const loaded = new Set(db.prepare<[], { file_id: string }>('SELECT file_id FROM exam_banks_loaded').all().map((r) => r.file_id));
  const pending = banks.filter((b) => !loaded.has(b.id));
  if (pending.length === 0) return 0;
  const store = makeQuestionStore(db);
  const mark = db.prepare('INSERT INTO exam_banks_loaded (file_id, loaded_at) VALUES (?, ?)');
  const guidTaken = db.prepare<[string], { id: number }>('SELECT id FROM exam_questions WHERE guid = ?');
  let added = 0;
  db.transaction(() => {
    const now = ctx.clock.now();
    for (const bank of pending) {
      const titles = new Map(bank.sources.map((s) => [s.id, s.title]));
      for (const { guid, ...q } of bank.questions) {
        const stored = `${bank.id}:${guid}`;
        if (guidTaken.get(stored)) continue;
        store.upsert({ ...q, guid: stored, bank: bank.id, source: { document: titles.get(q.source.document) ?? q.source.document, section: q.source.section } }, now);
        added++;
      }
      mark.run(bank.id, now);
    }
  })();
  return added;
}
