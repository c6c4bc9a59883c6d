// Reading CSV/TSV text files the way Anki's text import does: UTF-8, "#key:value" header lines at the
// top (#separator, #html, #tags, #deck, #notetype, #columns and the "#... column:N" ones), lines starting
// with "#" as comments, quoted fields with "" for a quote, and the separator taken from the header or
// detected from the first lines. Rows are checked against one column count: a row with another count
// (or a quote never closed) is set aside with its line number and the reason, and the rest is imported,
// as Anki does, rather than guessed at.
import type { CsvSeparator } from '../../../../shared/contract/transfer';
import { AppError } from '../../../../shared/errors';

export const SEPARATOR_CHARS: Record<CsvSeparator, string> = { tab: '\t', comma: ',', semicolon: ';', pipe: '|', colon: ':', space: ' ' };
/** When several separators give a tidy table, the earlier one wins. */
const DETECT_ORDER: CsvSeparator[] = ['tab', 'semicolon', 'comma', 'pipe', 'colon', 'space'];
const HEADER_NAMES: Record<string, CsvSeparator> = {
  tab: 'tab',
  comma: 'comma',
  semicolon: 'semicolon',
  pipe: 'pipe',
  colon: 'colon',
  space: 'space',
  '\t': 'tab',
  ',': 'comma',
  ';': 'semicolon',
  '|': 'pipe',
  ':': 'colon',
  ' ': 'space',
};

export interface CsvHeader {
  separator: CsvSeparator | null;
  html: boolean | null;
  tags: string[];
  deck: string | null;
  noteType: string | null;
  columns: string[] | null;
  /** 0-based positions of the special columns named by "#... column:N" (1-based in the file). */
  noteTypeColumn: number | null;
  deckColumn: number | null;
  tagsColumn: number | null;
  guidColumn: number | null;
}

export interface CsvRow {
  /** Line in the file where the row starts (1-based). */
  line: number;
  cells: string[];
  /** Why the row cannot be read as it is (a quote never closed); set by splitRows. */
  problem?: string;
}

/** A row left out of the import: where it is and why. */
export interface CsvBadRow {
  line: number;
  reason: string;
}

export interface CsvFile {
  header: CsvHeader;
  separator: CsvSeparator;
  separatorSource: 'header' | 'detected' | 'chosen';
  html: boolean;
  columnCount: number;
  /** The rows that can be imported. */
  rows: CsvRow[];
  /** The rows that cannot, in file order. */
  badRows: CsvBadRow[];
  /** The bad rows told in sentences, a few at most (for the preview). */
  problems: string[];
}

/** Decodes UTF-8 strictly: a file in another encoding is refused with where the first bad byte is. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    const good = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    const at = good.indexOf('\ufffd');
    const line = at < 0 ? 1 : good.slice(0, at).split('\n').length;
    throw new AppError(
      'invalid_input',
      `The file is not valid UTF-8 text (first bad character on line ${line}). Save it as "CSV UTF-8" (or UTF-8 text) in your spreadsheet and try again.`,
    );
  }
}

function parseHeaderLine(line: string, header: CsvHeader): boolean {
  const m = /^#([a-z ]+):(.*)$/i.exec(line);
  if (!m) return false;
  const key = m[1]!.trim().toLowerCase();
  const value = m[2]!;
  const column = () => {
    const n = Number.parseInt(value.trim(), 10);
    return Number.isInteger(n) && n >= 1 ? n - 1 : null;
  };
  switch (key) {
    case 'separator': {
      const sep = HEADER_NAMES[value.toLowerCase()] ?? HEADER_NAMES[value.trim().toLowerCase()];
      if (!sep) throw new AppError('invalid_input', `The file's "#separator:${value}" line names a separator Cadence does not know. Use Tab, Comma, Semicolon, Pipe, Colon or Space.`);
      header.separator = sep;
      return true;
    }
    case 'html':
      header.html = value.trim().toLowerCase() === 'true';
      return true;
    case 'tags':
      header.tags = value.split(/\s+/).filter((t) => t !== '');
      return true;
    case 'deck':
      header.deck = value.trim() || null;
      return true;
    case 'notetype':
      header.noteType = value.trim() || null;
      return true;
    case 'columns':
      header.columns = [value]; // split once the separator is known
      return true;
    case 'notetype column':
      header.noteTypeColumn = column();
      return true;
    case 'deck column':
      header.deckColumn = column();
      return true;
    case 'tags column':
      header.tagsColumn = column();
      return true;
    case 'guid column':
      header.guidColumn = column();
      return true;
    default:
      return false; // "#if matches:", "#match scope:" and unknown keys: read as comments
  }
}

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** How many line feeds `text` holds between `from` and `to`. */
function lineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Splits the body into rows with `sep`. Quotes may span lines; "#..." at the start of a row is a comment.
 * Cells are cut out of the text in runs (slices) rather than built a character at a time: a file may
 * hold 100,000 rows, and a string per character is garbage the collector then has to clear. Where an
 * unquoted cell ends is found with indexOf, which scans many times faster than a loop over characters:
 * the next separator, line feed and carriage return are each kept until the cursor passes them.
 */
function splitRows(text: string, startLine: number, sep: string, limit = Infinity): CsvRow[] {
  const rows: CsvRow[] = [];
  let problem: string | undefined;
  let line = startLine;
  let i = 0;
  const n = text.length;
  const find = (ch: string, from: number) => {
    const at = text.indexOf(ch, from);
    return at < 0 ? n : at;
  };
  let nextSep = -1;
  let nextLf = -1;
  let nextCr = -1;
  while (i < n && rows.length < limit) {
    // Start of a row: skip blank lines and comments.
    const first = text.charCodeAt(i);
    if (first === LF || first === CR) {
      if (first === CR && text.charCodeAt(i + 1) === LF) i++;
      i++;
      line++;
      continue;
    }
    if (first === 0x23 /* # */) {
      while (i < n && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
      continue;
    }
    const rowLine = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text.charCodeAt(i) === QUOTE) {
        // Quoted: up to the closing quote, "" standing for one quote; line breaks are part of the cell.
        i++;
        for (;;) {
          const q = text.indexOf('"', i);
          if (q < 0) {
            problem = 'a quoted field is never closed (a " is missing), so the rest of the file was read as part of it';
            line += lineFeeds(text, i, n);
            cell += text.slice(i);
            i = n;
            break;
          }
          line += lineFeeds(text, i, q);
          cell += text.slice(i, q);
          i = q + 1;
          if (text.charCodeAt(i) !== QUOTE) break;
          cell += '"';
          i++;
        }
      }
      // Unquoted (or what follows a closing quote, taken as it is): up to the separator or line end.
      if (nextSep < i) nextSep = find(sep, i);
      if (nextLf < i) nextLf = find('\n', i);
      if (nextCr < i) nextCr = find('\r', i);
      const end = Math.min(nextSep, nextLf, nextCr);
      if (end > i) cell += text.slice(i, end);
      i = end;
      cells.push(cell);
      if (i < n && i === nextSep) {
        i++;
        continue;
      }
      break;
    }
    rows.push(problem ? { line: rowLine, cells, problem } : { line: rowLine, cells });
    problem = undefined;
  }
  return rows;
}

function detectSeparator(body: string, startLine: number): CsvSeparator {
  let best: { sep: CsvSeparator; columns: number } | null = null;
  for (const sep of DETECT_ORDER) {
    const rows = splitRows(body, startLine, SEPARATOR_CHARS[sep], 50);
    const first = rows[0]?.cells.length ?? 1;
    if (first > 1 && rows.every((r) => r.cells.length === first)) return sep;
    if (!best || first > best.columns) best = { sep, columns: first };
  }
  return best && best.columns > 1 ? best.sep : 'tab';
}

export function parseCsv(text: string, options: { separator?: CsvSeparator; html?: boolean } = {}): CsvFile {
  const header: CsvHeader = {
    separator: null,
    html: null,
    tags: [],
    deck: null,
    noteType: null,
    columns: null,
    noteTypeColumn: null,
    deckColumn: null,
    tagsColumn: null,
    guidColumn: null,
  };
  // Header lines come first; the body starts at the first line that is not one.
  let offset = 0;
  let line = 1;
  let first = true;
  while (offset < text.length) {
    const end = text.indexOf('\n', offset);
    const raw = text.slice(offset, end < 0 ? text.length : end).replace(/\r$/, '');
    const isHeader = raw.startsWith('#') ? parseHeaderLine(raw, header) || true : first && /^tags:/i.test(raw);
    if (!isHeader) break;
    if (!raw.startsWith('#')) header.tags = raw.slice(5).split(/\s+/).filter((t) => t !== '');
    first = false;
    offset = end < 0 ? text.length : end + 1;
    line++;
  }
  const body = text.slice(offset);

  let separator: CsvSeparator;
  let separatorSource: CsvFile['separatorSource'];
  if (options.separator) [separator, separatorSource] = [options.separator, 'chosen'];
  else if (header.separator) [separator, separatorSource] = [header.separator, 'header'];
  else [separator, separatorSource] = [detectSeparator(body, line), 'detected'];
  const sep = SEPARATOR_CHARS[separator];
  if (header.columns) header.columns = header.columns[0]!.split(sep).map((c) => c.trim());

  const all = splitRows(body, line, sep);
  const columnCount = header.columns?.length ?? usualColumnCount(all);
  const rows: CsvRow[] = [];
  const badRows: CsvBadRow[] = [];
  for (const r of all) {
    const reason =
      r.problem ??
      (r.cells.length !== columnCount
        ? `it has ${r.cells.length} column${r.cells.length === 1 ? '' : 's'}, but the file has ${columnCount} (check its quotes and separators)`
        : undefined);
    if (reason) badRows.push({ line: r.line, reason });
    else rows.push(r);
  }
  const problems = badRows.slice(0, 5).map((b) => `Line ${b.line} will be skipped: ${b.reason}.`);
  if (badRows.length > 5) problems.push(`...and ${badRows.length - 5} more lines that will be skipped.`);
  return { header, separator, separatorSource, html: options.html ?? header.html ?? false, columnCount, rows, badRows, problems };
}

/** The column count most rows have (the first row's when counts tie): one stray line does not set it. */
function usualColumnCount(rows: CsvRow[]): number {
  const counts = new Map<number, number>();
  for (const r of rows) if (!r.problem) counts.set(r.cells.length, (counts.get(r.cells.length) ?? 0) + 1);
  let best = rows[0]?.cells.length ?? 0;
  for (const [count, n] of counts) if (n > (counts.get(best) ?? 0)) best = count;
  return best;
}

/** Text written as a CSV cell: quoted when it holds the separator, a quote, a line break or leading '#'/spaces. */
export function csvCell(value: string, sep: string): string {
  return value.includes(sep) || /["\r\n]/.test(value) || /^[#\s]|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
