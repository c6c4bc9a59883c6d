// Exam formats as the app shows them: the sourced catalog (assets/exams/formats.json) plus "Custom
// practice", which is always there. A value the sources do not confirm is null and reads "not
// confirmed"; starting such a format asks the learner for it instead of guessing.
import type { ExamFormat, Topic } from '../../../shared/contract/exams';
import { AppError } from '../../../shared/errors';
import type { BankFile, FormatEntry } from './bankFile';

export const CUSTOM_FORMAT = 'custom';

function host(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return url;
  }
}

function sourced(v: { value: number | null; source: string | null }, say: (n: number) => string) {
  return { value: v.value, note: v.value === null || v.source === null ? 'not confirmed' : `${say(v.value)} (${host(v.source)})` };
}

export function toFormat(entry: FormatEntry): ExamFormat {
  return {
    key: entry.key,
    name: entry.name,
    body: entry.body,
    certificationKey: entry.certificationKey,
    questions: sourced(entry.questions, (n) => `${n} questions`),
    minutes: sourced(entry.minutes, (n) => `${n} minutes`),
    passMark: sourced(entry.passMark, (n) => `${Math.round(n * 100)} %`),
    questionTypes: entry.questionTypes,
    rules: entry.rules,
    banks: entry.banks,
    topicWeights: entry.topicWeights,
    sources: entry.sources,
    lastVerified: entry.lastVerified,
  };
}

/** Custom practice: every bank, every topic weighted alike; count, time and pass mark are the learner's. */
export function customFormat(banks: readonly BankFile[], topics: readonly Topic[]): ExamFormat {
  return {
    key: CUSTOM_FORMAT,
    name: 'Custom practice',
    body: 'Cadence',
    certificationKey: null,
    questions: { value: null, note: 'your choice' },
    minutes: { value: null, note: 'your choice' },
    passMark: { value: null, note: 'your choice' },
    questionTypes: ['single', 'multiple', 'truefalse'],
    rules: 'Your own drill: choose the topics, the number of questions, the time and the pass mark. The clock still runs without a pause.',
    banks: [...banks.map((b) => b.id), 'mine'],
    topicWeights: Object.fromEntries(topics.map((t) => [t.id, 1])),
    sources: [],
    lastVerified: '',
  };
}

export function findFormat(formats: readonly ExamFormat[], key: string): ExamFormat {
  const format = formats.find((f) => f.key === key);
  if (!format) throw new AppError('not_found', `There is no exam format "${key}". Choose one from the Exams page.`);
  return format;
}
