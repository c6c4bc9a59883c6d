// Shape of the bundled question banks (assets/exams/banks/<id>.json) and of the exam format catalog
// (assets/exams/formats.json). The loader and the content test share these schemas, so a file that
// passes the test is one the app accepts. Whether each answer is supported is contentCheck.ts's job.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { calendarDate } from '../../../shared/contract/define';
import { questionFields, questionKindSchema, topicId, withQuestionShape } from '../../../shared/contract/exams';
import type { Logger } from '../context';

const webAddress = z.string().regex(/^https?:\/\/\S+$/, 'must be a web address');

export const bankSourceSchema = z.strictObject({
  /** What questions cite as source.document. */
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens'),
  title: z.string().min(1),
  url: webAddress,
  /** The document's sections a question may cite (its headings). */
  sections: z.array(z.string().min(1)).min(1),
});
export type BankSource = z.output<typeof bankSourceSchema>;

export const bankTopicSchema = z.strictObject({
  id: topicId,
  name: z.string().min(1),
  /** Flashcard tags (and the tags below them) whose recall counts toward this topic. */
  cardTags: z.array(z.string().regex(/^\S+$/, 'must be one tag without spaces')),
});

export const bankQuestionSchema = withQuestionShape(
  z.strictObject({ guid: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens'), ...questionFields }),
);
export type BankQuestion = z.output<typeof bankQuestionSchema>;

export const bankFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  description: z.string().min(1),
  /** The licence of the questions, and whom to credit (a bank written from a CC BY-SA text is CC BY-SA too). */
  licence: z.string().min(1),
  attribution: z.string().min(1),
  lastVerified: calendarDate,
  sources: z.array(bankSourceSchema).min(1),
  topics: z.array(bankTopicSchema).min(1),
  questions: z.array(bankQuestionSchema).min(1),
});
export type BankFile = z.output<typeof bankFileSchema>;

/** A value of an exam format with its source, or null: "not confirmed". */
const sourcedNumber = z.strictObject({ value: z.number().positive().nullable(), source: webAddress.nullable() }).refine(
  (v) => (v.value === null) === (v.source === null),
  'a value needs its source, and a value without a source must be null ("not confirmed")',
);

export const formatEntrySchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  body: z.string().min(1),
  certificationKey: z.string().nullable(),
  questions: sourcedNumber,
  minutes: sourcedNumber,
  passMark: sourcedNumber.refine((v) => v.value === null || v.value <= 1, 'a pass mark is a share, 0 to 1'),
  questionTypes: z.array(questionKindSchema).min(1),
  rules: z.string().min(1),
  banks: z.array(z.string()).min(1),
  topicWeights: z.record(topicId, z.number().positive()),
  sources: z.array(z.strictObject({ title: z.string().min(1), url: webAddress })),
  lastVerified: calendarDate,
});
export type FormatEntry = z.output<typeof formatEntrySchema>;

export const formatsFileSchema = z.strictObject({
  about: z.string().min(1),
  formats: z.array(formatEntrySchema).min(1),
});

/** The bundled banks, by file name order. A file that fails its schema is logged and left out. */
export function readBankFiles(assetsDir: string, log: Logger): BankFile[] {
  const dir = path.join(assetsDir, 'exams', 'banks');
  if (!fs.existsSync(dir)) return [];
  const banks: BankFile[] = [];
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    try {
      const parsed = bankFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')));
      if (parsed.success) banks.push(parsed.data);
      else log.error(`Question bank ${name} does not match its schema; left out`, parsed.error.issues.slice(0, 5));
    } catch (err) {
      log.error(`Question bank ${name} could not be read; left out`, err);
    }
  }
  return banks;
}

/** The exam format catalog; an unreadable catalog is logged and leaves only custom practice. */
export function readFormatsFile(assetsDir: string, log: Logger): FormatEntry[] {
  const file = path.join(assetsDir, 'exams', 'formats.json');
  try {
    const parsed = formatsFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data.formats;
    log.error('The exam format catalog does not match its schema; only custom practice is offered', parsed.error.issues.slice(0, 5));
  } catch (err) {
    log.error('The exam format catalog could not be read; only custom practice is offered', err);
  }
  return [];
}
