// Channels of exam practice: question notes (single choice, multiple select, true/false), the exam
// format catalog, timed attempts (autosaved answer by answer), scoring, review and readiness.
// Merged into the contract by shared/contract.ts.
import { z } from 'zod';
import { channel, id, noInput, ok } from './define';

// ---------------------------------------------------------------------------------------------
// Question notes

export const QUESTION_KINDS = ['single', 'multiple', 'truefalse'] as const;
export const questionKindSchema = z.enum(QUESTION_KINDS, { error: 'must be "single", "multiple" or "truefalse"' });
export type QuestionKind = z.output<typeof questionKindSchema>;

export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;
/** The options of every true/false question, in this order. */
export const TRUE_FALSE_OPTIONS = ['True', 'False'] as const;
/** Option letters as shown and as written in CSV files. */
export const OPTION_LETTERS = 'ABCDEFGH';

const text = (max: number) => z.string({ error: 'must be text' }).trim().max(max, `must be at most ${max} characters`);
const requiredText = (max: number) => text(max).min(1, 'must not be empty');

/** A topic id: lower-case words joined by hyphens ("scrum-events"). */
export const topicId = z
  .string({ error: 'must be text' })
  .trim()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens, like "scrum-events"')
  .max(60, 'must be at most 60 characters');

export const questionSourceSchema = z.strictObject({
  /** The document: a title ("The 2020 Scrum Guide"); in a bank file, the id of one of the bank's sources. */
  document: requiredText(300),
  /** Where in it: a section heading ("Daily Scrum"). */
  section: requiredText(300),
});
export type QuestionSource = z.output<typeof questionSourceSchema>;

/**
 * What makes a question well formed, whatever it came from (editor, import, bank file): 2–8 distinct
 * options, a correct set that fits the kind. Support for the answer is the content check's job
 * (electron/core/exams/contentCheck.ts), because it needs the bank's sources.
 */
export function questionShapeProblems(q: { kind: QuestionKind; options: readonly string[]; correct: readonly number[] }): string[] {
  const problems: string[] = [];
  if (q.options.length < MIN_OPTIONS || q.options.length > MAX_OPTIONS) problems.push(`A question needs ${MIN_OPTIONS} to ${MAX_OPTIONS} options; this one has ${q.options.length}.`);
  if (q.options.some((o) => o.trim() === '')) problems.push('Every option needs some text.');
  const seen = new Set(q.options.map((o) => o.trim().toLowerCase()));
  if (seen.size !== q.options.length) problems.push('Two options say the same thing; make every option different.');
  if (q.correct.some((i) => !Number.isInteger(i) || i < 0 || i >= q.options.length)) problems.push('A correct answer points at an option that does not exist.');
  if (new Set(q.correct).size !== q.correct.length) problems.push('The same option is marked correct twice.');
  if (q.kind === 'truefalse') {
    if (q.options.length !== 2 || q.options[0] !== 'True' || q.options[1] !== 'False') problems.push('A true/false question has exactly the options True and False.');
    if (q.correct.length !== 1) problems.push('Mark either True or False as the correct answer.');
  } else if (q.kind === 'single') {
    if (q.correct.length !== 1) problems.push('A single-choice question has exactly one correct option.');
  } else if (q.correct.length < 2 || q.correct.length >= q.options.length) {
    problems.push('A multiple-select question has at least two correct options and at least one wrong one.');
  }
  return problems;
}

/** The fields of a question as the editor, importers and bank files give it. */
export const questionFields = {
  kind: questionKindSchema,
  stem: requiredText(4000),
  options: z.array(requiredText(1000)).min(MIN_OPTIONS, `must list at least ${MIN_OPTIONS} options`).max(MAX_OPTIONS, `must list at most ${MAX_OPTIONS} options`),
  /** Indexes into options (0 = the first). */
  correct: z.array(z.number().int().min(0).max(MAX_OPTIONS - 1)).min(1, 'must mark at least one option correct').max(MAX_OPTIONS),
  explanation: text(8000).default(''),
  source: questionSourceSchema,
  /** The first topic is the one draws and per-topic scores use. */
  topics: z.array(topicId).min(1, 'must name at least one topic').max(10, 'must name at most 10 topics'),
};

/** Adds the shape rules (questionShapeProblems) to a question schema. */
export function withQuestionShape<T extends z.ZodType<{ kind: QuestionKind; options: string[]; correct: number[] }>>(schema: T): T {
  return schema.superRefine((q, ctx) => {
    for (const message of questionShapeProblems(q)) ctx.addIssue({ code: 'custom', message });
  }) as unknown as T;
}

/** A question as the editor and importers send it. */
export const questionInputSchema = withQuestionShape(z.strictObject(questionFields));
export type QuestionInput = z.output<typeof questionInputSchema>;

export const questionSchema = z.object({
  id: z.number(),
  guid: z.string(),
  /** The bank it came with ('scrum-guide-2020', ...) or 'mine' for questions written or imported here. */
  bank: z.string(),
  kind: questionKindSchema,
  stem: z.string(),
  options: z.array(z.string()),
  correct: z.array(z.number()),
  explanation: z.string(),
  source: z.object({ document: z.string(), section: z.string() }),
  topics: z.array(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Question = z.output<typeof questionSchema>;

// ---------------------------------------------------------------------------------------------
// Banks, topics and exam formats

export const topicSchema = z.object({
  id: z.string(),
  name: z.string(),
  bank: z.string(),
  /** Flashcards tagged with one of these (or a tag below it) count toward this topic's recall. */
  cardTags: z.array(z.string()),
});
export type Topic = z.output<typeof topicSchema>;

export const bankInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  licence: z.string(),
  attribution: z.string(),
  questions: z.number(),
  sources: z.array(z.object({ id: z.string(), title: z.string(), url: z.string() })),
});
export type BankInfo = z.output<typeof bankInfoSchema>;

/** A number from an official source, or null with "not confirmed". */
export const sourcedNumberSchema = z.object({
  value: z.number().nullable(),
  /** The sentence shown: "80 questions (scrum.org)" or "not confirmed". */
  note: z.string(),
});

export const examFormatSchema = z.object({
  key: z.string(),
  name: z.string(),
  body: z.string(),
  /** The certification in the certification catalog this exam leads to, if Cadence tracks it. */
  certificationKey: z.string().nullable(),
  questions: sourcedNumberSchema,
  minutes: sourcedNumberSchema,
  /** Share of questions to answer correctly, 0–1. */
  passMark: sourcedNumberSchema,
  questionTypes: z.array(questionKindSchema),
  /** What the real exam allows (pause, going back): shown on the start screen. */
  rules: z.string(),
  banks: z.array(z.string()),
  /** Cadence's own practice mix per topic (relative weights), not an official blueprint. */
  topicWeights: z.record(z.string(), z.number()),
  sources: z.array(z.object({ title: z.string(), url: z.string() })),
  lastVerified: z.string(),
});
export type ExamFormat = z.output<typeof examFormatSchema>;

// ---------------------------------------------------------------------------------------------
// Attempts

export const drawSchema = z.enum(['all', 'unmastered'], { error: 'must be "all" or "unmastered"' });

/** One question of an attempt as the session shows it (no correct answer until submitted). */
export const attemptQuestionSchema = z.object({
  position: z.number(),
  kind: questionKindSchema,
  stem: z.string(),
  options: z.array(z.string()),
  /** How many options to choose (multiple select says "Choose 2"). */
  choose: z.number(),
  topic: z.string(),
  chosen: z.array(z.number()).nullable(),
  flagged: z.boolean(),
});
export type AttemptQuestion = z.output<typeof attemptQuestionSchema>;

export const attemptSchema = z.object({
  id: z.number(),
  formatKey: z.string(),
  formatName: z.string(),
  passMark: z.number(),
  minutes: z.number(),
  startedAt: z.number(),
  deadlineAt: z.number(),
  /** The server's clock when this was read: the countdown runs from deadlineAt - now. */
  now: z.number(),
  submitted: z.boolean(),
  questions: z.array(attemptQuestionSchema),
});
export type Attempt = z.output<typeof attemptSchema>;

export const topicScoreSchema = z.object({ topic: z.string(), name: z.string(), correct: z.number(), total: z.number() });
export type TopicScore = z.output<typeof topicScoreSchema>;

export const resultSchema = z.object({
  attemptId: z.number(),
  formatKey: z.string(),
  formatName: z.string(),
  submittedAt: z.number(),
  /** 'time_up' when the clock ran out before the learner submitted. */
  reason: z.enum(['submitted', 'time_up']),
  correct: z.number(),
  total: z.number(),
  answered: z.number(),
  /** correct / total, 0–1. */
  score: z.number(),
  passMark: z.number(),
  passed: z.boolean(),
  timeUsedMs: z.number(),
  minutes: z.number(),
  perTopic: z.array(topicScoreSchema),
});
export type ExamResult = z.output<typeof resultSchema>;

export const reviewItemSchema = z.object({
  position: z.number(),
  questionId: z.number().nullable(),
  kind: questionKindSchema,
  stem: z.string(),
  options: z.array(z.string()),
  correct: z.array(z.number()),
  chosen: z.array(z.number()).nullable(),
  isCorrect: z.boolean(),
  flagged: z.boolean(),
  explanation: z.string(),
  source: z.object({ document: z.string(), section: z.string(), url: z.string().nullable() }),
  topic: z.string(),
  topicName: z.string(),
  /** The flashcard made from this question, if any. */
  flashcardNoteId: z.number().nullable(),
});
export type ReviewItem = z.output<typeof reviewItemSchema>;

export const attemptSummarySchema = z.object({
  id: z.number(),
  formatKey: z.string(),
  formatName: z.string(),
  startedAt: z.number(),
  deadlineAt: z.number(),
  questions: z.number(),
  result: resultSchema.nullable(),
});
export type AttemptSummary = z.output<typeof attemptSummarySchema>;

// ---------------------------------------------------------------------------------------------
// Readiness

export const readinessSchema = z.object({
  formatKey: z.string(),
  formatName: z.string(),
  passMark: z.number().nullable(),
  attempts: z.number(),
  /** Mean score of the last three scored attempts, 0–1; null before the first. */
  recentScore: z.number().nullable(),
  /** Oldest first: the last ten scored attempts. */
  trend: z.array(z.object({ attemptId: z.number(), at: z.number(), score: z.number(), passed: z.boolean() })),
  /** Per topic over the last five attempts, weakest first. */
  topics: z.array(topicScoreSchema),
  weakestTopic: topicScoreSchema.nullable(),
  /** Mean FSRS probability of recall now of the flashcards linked to the format's topics; null with none reviewed. */
  cardRecall: z.number().nullable(),
  linkedCards: z.number(),
  reviewedCards: z.number(),
  /** What to do next, in a sentence. */
  suggestion: z.string(),
});
export type Readiness = z.output<typeof readinessSchema>;

// ---------------------------------------------------------------------------------------------
// Channel inputs

const questionCount = z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1').max(400, 'must be at most 400');
const examMinutes = z.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be at least 1 minute').max(600, 'must be at most 600 minutes');
const passMark = z.number({ error: 'must be a number' }).min(0.01, 'must be above 0 %').max(1, 'must be at most 100 %');

export const IMPORT_MAX_BYTES = 10_000_000;

export const examsChannels = {
  /** Formats, banks and topics, the attempt still running (if any) and readiness per format. */
  'exams.overview': channel(
    noInput,
    z.object({
      formats: z.array(examFormatSchema),
      banks: z.array(bankInfoSchema),
      topics: z.array(topicSchema),
      /** Questions per topic in the collection, and how many of them are mastered. */
      topicCounts: z.record(z.string(), z.object({ questions: z.number(), mastered: z.number() })),
      running: attemptSummarySchema.nullable(),
      recent: z.array(attemptSummarySchema),
      readiness: z.array(readinessSchema),
    }),
  ),
  /**
   * Starts a timed attempt: N questions drawn by the format's topic weights (a custom count, time,
   * pass mark or topic set overrides the format; a format value that is not confirmed must be given).
   */
  'exams.start': channel(
    z.strictObject({
      formatKey: requiredText(60),
      questions: questionCount.optional(),
      minutes: examMinutes.optional(),
      passMark: passMark.optional(),
      topics: z.array(topicId).min(1, 'must name at least one topic').max(100).optional(),
      draw: drawSchema.default('all'),
    }),
    attemptSchema,
  ),
  'exams.attempt': channel(z.strictObject({ id }), attemptSchema),
  /** Saves one answer (and its flag) the moment it is given; refused once time is up or the attempt is submitted. */
  'exams.answer': channel(
    z.strictObject({
      attemptId: id,
      position: z.number().int().min(0).max(399),
      chosen: z.array(z.number().int().min(0).max(MAX_OPTIONS - 1)).max(MAX_OPTIONS).nullable(),
      flagged: z.boolean(),
    }),
    z.object({ savedAt: z.number() }),
  ),
  /** Scores the attempt (all-or-nothing per question) and stores the result; durable before it returns. */
  'exams.submit': channel(z.strictObject({ attemptId: id }), resultSchema),
  'exams.review': channel(z.strictObject({ attemptId: id }), z.object({ result: resultSchema, items: z.array(reviewItemSchema) })),
  /** Turns a question of a scored attempt into a Basic flashcard (in "Exam practice::<format>"). */
  'exams.toFlashcard': channel(z.strictObject({ attemptId: id, position: z.number().int().min(0).max(399) }), z.object({ noteId: z.number(), deckPath: z.string() })),
  'exams.readiness': channel(z.strictObject({ formatKey: requiredText(60) }), readinessSchema),

  'questions.list': channel(
    z.strictObject({
      bank: text(60).optional(),
      topic: topicId.optional(),
      query: text(200).default(''),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ questions: z.array(questionSchema), total: z.number() }),
  ),
  'questions.get': channel(z.strictObject({ id }), questionSchema),
  /** Creates a question (no id) in the learner's own bank, or edits one. */
  'questions.save': channel(z.strictObject({ id: id.optional(), question: questionInputSchema }), questionSchema),
  'questions.delete': channel(z.strictObject({ id }), ok),
  /** Writes questions as JSON or CSV to download (one bank, or all). */
  'questions.export': channel(
    z.strictObject({ format: z.enum(['json', 'csv'], { error: 'must be "json" or "csv"' }), bank: text(60).optional() }),
    z.object({ downloadName: z.string(), fileName: z.string(), questions: z.number() }),
  ),
  /**
   * Reads a JSON or CSV question file (staged with files.stage, or given as text). A question with the
   * guid of one already here replaces it; the file is refused whole if any question is malformed.
   */
  'questions.import': channel(
    z
      .strictObject({
        stagedId: z.string().optional(),
        text: z.string().max(IMPORT_MAX_BYTES, 'is too large for a question file').optional(),
        format: z.enum(['json', 'csv'], { error: 'must be "json" or "csv"' }),
      })
      .refine((i) => (i.stagedId === undefined) !== (i.text === undefined), 'must give either a staged file or the text'),
    z.object({ added: z.number(), updated: z.number() }),
  ),
};

export const examsEvents = {};
