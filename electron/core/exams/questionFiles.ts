// Question files: the JSON and CSV formats Cadence reads and writes (README, "Question files").
//
// JSON: { "format": "cadence-questions", "version": 1, "questions": [ { guid?, bank?, kind, stem,
//         options, correct (0-based indexes), explanation, source: { document, section }, topics } ] }
// CSV:  one header row, then one question per row, columns found by name (any order):
//         guid, bank, kind, stem, option_a … option_h, correct (letters: "B" or "A;C"), explanation,
//         source_document, source_section, topics (separated by spaces or ";").
// The CSV survives a round trip through a spreadsheet: a byte-order mark, CRLF line ends, columns
// moved, empty trailing option columns and TRUE/FALSE turned upper-case are all read back the same.
import { randomUUID } from 'node:crypto';
import {
  MAX_OPTIONS,
  OPTION_LETTERS,
  TRUE_FALSE_OPTIONS,
  questionInputSchema,
  type Question,
  type QuestionKind,
} from '../../../shared/contract/exams';
import { issueSentence } from '../../../shared/issueText';
import { AppError } from '../../../shared/errors';
import { csvCell, parseCsv } from '../transfer/csv/parse';
import { OWN_BANK, type StoredQuestion } from './questions';

export const JSON_FORMAT = 'cadence-questions';

const OPTION_COLUMNS = [...OPTION_LETTERS].map((l) => `option_${l.toLowerCase()}`);
export const CSV_COLUMNS = ['guid', 'bank', 'kind', 'stem', ...OPTION_COLUMNS, 'correct', 'explanation', 'source_document', 'source_section', 'topics'];

function exported(q: Question) {
  return { guid: q.guid, bank: q.bank, kind: q.kind, stem: q.stem, options: q.options, correct: q.correct, explanation: q.explanation, source: q.source, topics: q.topics };
}

export function toJson(questions: readonly Question[]): string {
  return `${JSON.stringify({ format: JSON_FORMAT, version: 1, questions: questions.map(exported) }, null, 2)}\n`;
}

export function toCsv(questions: readonly Question[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const q of questions) {
    const options = Array.from({ length: MAX_OPTIONS }, (_, i) => q.options[i] ?? '');
    const correct = q.correct.map((i) => OPTION_LETTERS[i]).join(';');
    const cells = [q.guid, q.bank, q.kind, q.stem, ...options, correct, q.explanation, q.source.document, q.source.section, q.topics.join(' ')];
    lines.push(cells.map((c) => csvCell(c, ',')).join(','));
  }
  // CRLF as RFC 4180 and spreadsheets write it; a BOM so spreadsheets read the text as UTF-8.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** Validates one question of a file; the problems name the question by its number in the file. */
function checked(raw: unknown, n: number, extra: { guid?: unknown; bank?: unknown }): StoredQuestion {
  const parsed = questionInputSchema.safeParse(raw);
  if (!parsed.success) {
    // The same sentences as the question editor's, never the schema's own wording.
    throw new AppError('invalid_input', `Question ${n} in the file: ${issueSentence(parsed.error.issues[0]!)} Nothing was imported.`);
  }
  const guid = typeof extra.guid === 'string' && extra.guid.trim() ? extra.guid.trim().slice(0, 200) : randomUUID();
  const bank = typeof extra.bank === 'string' && /^[a-z0-9-]{1,60}$/.test(extra.bank.trim()) ? extra.bank.trim() : OWN_BANK;
  return { ...parsed.data, guid, bank };
}

export function fromJson(text: string): StoredQuestion[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new AppError('unsupported', 'This file is not valid JSON. Choose a question file exported from Cadence (.json), or a CSV file.');
  }
  const list = Array.isArray(data) ? data : (data as { questions?: unknown } | null)?.questions;
  if (!Array.isArray(list)) throw new AppError('unsupported', 'This JSON file holds no "questions" list. Choose a question file exported from Cadence.');
  if (list.length === 0) throw new AppError('invalid_input', 'This file holds no questions.');
  return list.map((item, i) => {
    const { guid, bank, ...rest } = (item ?? {}) as Record<string, unknown>;
    return checked(rest, i + 1, { guid, bank });
  });
}

function kindOf(value: string): QuestionKind | string {
  const k = value.trim().toLowerCase().replace(/[\s_/-]+/g, '');
  if (k === 'single' || k === 'singlechoice') return 'single';
  if (k === 'multiple' || k === 'multipleselect' || k === 'multiplechoice') return 'multiple';
  if (k === 'truefalse' || k === 'tf') return 'truefalse';
  return value;
}

export function fromCsv(text: string): StoredQuestion[] {
  const file = parseCsv(text.replace(/^\uFEFF/, ''), { separator: 'comma' });
  const [header, ...rows] = file.rows;
  if (!header) throw new AppError('invalid_input', 'This CSV file is empty.');
  const column = new Map(header.cells.map((name, i) => [name.trim().toLowerCase(), i]));
  const lacking = ['kind', 'stem', 'correct', 'source_document', 'source_section', 'topics', 'option_a', 'option_b'].filter((c) => !column.has(c));
  if (lacking.length > 0) {
    throw new AppError('invalid_input', `This CSV file has no ${lacking.join(', ')} column${lacking.length > 1 ? 's' : ''}. Its first row must name the columns, as in a file exported from Cadence.`);
  }
  const cell = (cells: string[], name: string) => {
    const i = column.get(name);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  const body = rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (body.length === 0) throw new AppError('invalid_input', 'This CSV file holds no questions, only its header row.');
  return body.map((row, i) => {
    const kind = kindOf(cell(row.cells, 'kind'));
    let options = OPTION_COLUMNS.map((c) => cell(row.cells, c));
    while (options.length > 0 && options[options.length - 1] === '') options.pop();
    // Spreadsheets turn True/False into TRUE/FALSE: a true/false question's options are fixed anyway.
    if (kind === 'truefalse') options = [...TRUE_FALSE_OPTIONS];
    const correctText = cell(row.cells, 'correct').toUpperCase();
    const correct = correctText
      .split(/[\s;,]+/)
      .filter(Boolean)
      .map((token) => (kind === 'truefalse' && (token === 'TRUE' || token === 'FALSE') ? (token === 'TRUE' ? 0 : 1) : OPTION_LETTERS.indexOf(token)));
    if (correct.some((c) => c < 0)) {
      throw new AppError('invalid_input', `Question ${i + 1} in the file (line ${row.line}): the correct column must hold option letters such as "B" or "A;C". Nothing was imported.`);
    }
    return checked(
      {
        kind,
        stem: cell(row.cells, 'stem'),
        options,
        correct,
        explanation: cell(row.cells, 'explanation'),
        source: { document: cell(row.cells, 'source_document'), section: cell(row.cells, 'source_section') },
        topics: cell(row.cells, 'topics').split(/[\s;,]+/).filter(Boolean),
      },
      i + 1,
      { guid: cell(row.cells, 'guid'), bank: cell(row.cells, 'bank') },
    );
  });
}
