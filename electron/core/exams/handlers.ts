import fs from 'node:fs';
import type { ExamFormat, Topic } from '../../../shared/contract/exams';
import type { examsChannels } from '../../../shared/contract/exams';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { discardStaged, stagedPath, writeExport } from '../files';
import { makeDeckStore } from '../flashcards/decks';
import { makeNoteStore } from '../flashcards/notes';
import type { HandlersOf } from '../handlerTypes';
import { makeAttempts, startSettings } from './attempts';
import { readBankFiles, readFormatsFile, type BankFile } from './bankFile';
import { customFormat, findFormat, toFormat } from './formats';
import { flashcardFields } from './flashcard';
import { fromCsv, fromJson, toCsv, toJson } from './questionFiles';
import { makeQuestionStore, seedBanks } from './questions';
import { makeReadiness } from './readiness';
import { IMPORT_MAX_BYTES } from '../../../shared/contract/exams';

/** Built-in Basic note type (001_init.sql). */
const BASIC_NOTE_TYPE = 1;
const RECENT_ATTEMPTS = 20;

/** "my-own-topic" -> "My own topic", for topics no bank names. */
function humanize(id: string): string {
  const words = id.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function makeExamHandlers(ctx: CoreContext): HandlersOf<typeof examsChannels> {
  const { db } = ctx;
  // The banks and the format catalog are read and checked against their schemas on the first exam
  // request, not when the collection opens: a start must stay quick whether or not Exams is used.
  let loaded: { banks: BankFile[]; catalog: ExamFormat[]; bankTopics: Topic[]; sourceUrls: Map<string, string> } | null = null;
  function assets() {
    if (!loaded) {
      const banks = readBankFiles(ctx.paths.assetsDir, ctx.log);
      loaded = {
        banks,
        catalog: readFormatsFile(ctx.paths.assetsDir, ctx.log).map(toFormat),
        bankTopics: banks.flatMap((b) => b.topics.map((t) => ({ ...t, bank: b.id }))),
        sourceUrls: new Map(banks.flatMap((b) => b.sources.map((s) => [s.title, s.url] as const))),
      };
    }
    return loaded;
  }
  const questions = makeQuestionStore(db);
  const ownTopics = db.prepare<[], { topic: string }>('SELECT DISTINCT value AS topic FROM exam_questions, json_each(exam_questions.topics)');
  const topicCounts = db.prepare<[], { topic: string; questions: number; mastered: number }>(
    `SELECT q.topic, count(*) AS questions,
            sum((SELECT count(*) FROM (SELECT correct FROM exam_outcomes o WHERE o.question_id = q.id ORDER BY o.at DESC LIMIT 2) WHERE correct = 1) = 2) AS mastered
     FROM exam_questions q GROUP BY q.topic`,
  );

  /** Bank topics, then topics only the learner's own questions use. */
  function topics(): Topic[] {
    const known = new Set(assets().bankTopics.map((t) => t.id));
    const extra = ownTopics.all().filter((r) => !known.has(r.topic)).map((r) => ({ id: r.topic, name: humanize(r.topic), bank: 'mine', cardTags: [] }));
    return [...assets().bankTopics, ...extra];
  }
  const topicName = (id: string) => assets().bankTopics.find((t) => t.id === id)?.name ?? humanize(id);
  const formats = (): ExamFormat[] => [...assets().catalog, customFormat(assets().banks, topics())];

  // Banks load on the first exam request of a collection that has not had them (one transaction).
  let seeded = false;
  function ready(): void {
    if (seeded) return;
    if (seedBanks(ctx, assets().banks) > 0) ctx.emit('data.changed', { topics: ['exams'] });
    seeded = true;
  }

  const attempts = makeAttempts(ctx, { topicName, sourceUrl: (d) => assets().sourceUrls.get(d) ?? null });
  const readiness = makeReadiness(ctx, { topics, topicName });
  const changed = () => ctx.emit('data.changed', { topics: ['exams'] });
  const linkFlashcard = db.prepare('INSERT INTO exam_flashcards (attempt_id, position, note_id, created_at) VALUES (?, ?, ?, ?)');

  function readImport(input: { stagedId?: string | undefined; text?: string | undefined }): string {
    if (input.text !== undefined) return input.text;
    const file = stagedPath(ctx.paths, input.stagedId!);
    if (fs.statSync(file).size > IMPORT_MAX_BYTES) {
      throw new AppError('invalid_input', 'That file is larger than 10 MB, too large for a question file. Choose a JSON or CSV question file.');
    }
    return fs.readFileSync(file, 'utf8');
  }

  return {
    'exams.overview': () => {
      ready();
      const all = formats();
      const t = topics();
      return {
        formats: all,
        banks: assets().banks.map((b) => ({
          id: b.id,
          name: b.name,
          description: b.description,
          licence: b.licence,
          attribution: b.attribution,
          questions: b.questions.length,
          sources: b.sources.map((s) => ({ id: s.id, title: s.title, url: s.url })),
        })),
        topics: t,
        topicCounts: Object.fromEntries(topicCounts.all().map((r) => [r.topic, { questions: r.questions, mastered: r.mastered }])),
        running: attempts.running(),
        recent: attempts.recent(RECENT_ATTEMPTS),
        readiness: all.filter((f) => f.key !== 'custom').map((f) => readiness.get(f)),
      };
    },
    'exams.start': (input) => {
      ready();
      const format = findFormat(formats(), input.formatKey);
      const attempt = attempts.start(startSettings(format, input, topics()));
      changed();
      return attempt;
    },
    'exams.attempt': ({ id }) => attempts.get(id),
    'exams.answer': (input) => attempts.answer(input),
    'exams.submit': ({ attemptId }) => {
      const result = attempts.submit(attemptId);
      changed();
      return result;
    },
    'exams.review': ({ attemptId }) => attempts.review(attemptId),
    'exams.toFlashcard': ({ attemptId, position }) => {
      attempts.result(attemptId); // only scored attempts: the answer is shown only after submitting
      const existing = attempts.review(attemptId).items.find((i) => i.position === position)?.flashcardNoteId;
      if (existing) throw new AppError('conflict', 'This question is a flashcard already.');
      const { snapshot, formatName, topic } = attempts.snapshot(attemptId, position);
      const deckPath = `Exam practice::${formatName}`;
      const cardTag = assets().bankTopics.find((t) => t.id === topic)?.cardTags[0];
      const now = ctx.clock.now();
      const noteId = db.transaction(() => {
        const deckId = makeDeckStore(db).ensurePath(deckPath, now);
        const saved = makeNoteStore(db).createNote(
          { noteTypeId: BASIC_NOTE_TYPE, deckId, fields: flashcardFields(snapshot), tags: ['exam::missed', ...(cardTag ? [cardTag] : [])] },
          now,
        );
        linkFlashcard.run(attemptId, position, saved.note.id, now);
        return saved.note.id;
      })();
      ctx.emit('data.changed', { topics: ['decks', 'notes', 'cards', 'exams'] });
      return { noteId, deckPath };
    },
    'exams.readiness': ({ formatKey }) => readiness.get(findFormat(formats(), formatKey)),

    'questions.list': (input) => {
      ready();
      return questions.list(input);
    },
    'questions.get': ({ id }) => questions.get(id),
    'questions.save': ({ id, question }) => {
      const now = ctx.clock.now();
      const saved = id === undefined ? questions.create(question, now) : questions.edit(id, question, now);
      changed();
      return saved;
    },
    'questions.delete': ({ id }) => {
      questions.delete(id);
      changed();
      return { ok: true as const };
    },
    'questions.export': ({ format, bank }) => {
      ready();
      const list = questions.all(bank);
      if (list.length === 0) throw new AppError('not_found', bank ? 'That bank has no questions to export.' : 'There are no questions to export yet.');
      const fileName = `${bank ?? 'questions'}.${format}`;
      const { downloadName } = writeExport(ctx.paths, fileName, format === 'json' ? toJson(list) : toCsv(list));
      return { downloadName, fileName, questions: list.length };
    },
    'questions.import': (input) => {
      ready();
      const text = readImport(input);
      const parsed = input.format === 'json' ? fromJson(text) : fromCsv(text);
      let added = 0;
      let updated = 0;
      db.transaction(() => {
        const now = ctx.clock.now();
        for (const q of parsed) {
          if (questions.upsert(q, now) === 'added') added++;
          else updated++;
        }
      })();
      if (input.stagedId !== undefined) discardStaged(ctx.paths, input.stagedId);
      changed();
      return { added, updated };
    },
  };
}
