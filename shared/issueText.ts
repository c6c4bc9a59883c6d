// Turns what a channel's schema found wrong (zod issues) into sentences a person can act on: the field
// named as the form names it, what to enter, and an example where one helps. Never a field path or a
// library's wording. Used by the one entry point of every request (invoke.ts) and by forms, which check
// their input against the same schema and show each sentence beside its field.
import type { z } from 'zod';

/** Field keys (the last named step of an issue's path) in the words the forms use. */
const LABELS: Record<string, string> = {
  name: 'Name',
  title: 'Title',
  description: 'Description',
  daysBefore: 'Days before expiry',
  dailyGoalCards: 'Daily goal',
  dayRolloverHour: 'The hour a new study day starts',
  learningSteps: 'Learning steps',
  relearningSteps: 'Relearning steps',
  desiredRetention: 'Desired retention',
  newPerDay: 'New cards per day',
  reviewsPerDay: 'Reviews per day',
  maximumInterval: 'Maximum interval',
  leechThreshold: 'Leech threshold',
  earnedOn: 'Earned on',
  expiresOn: 'Expiry date',
  startedOn: 'Started on',
  date: 'Date',
  units: 'Amount',
  category: 'Category',
  provider: 'Provider',
  activity: 'Activity',
  note: 'Note',
  notes: 'Notes',
  credentialId: 'Credential ID',
  url: 'Web address',
  cadence: 'How often',
  label: 'Your label',
  abbreviation: 'Abbreviation',
  issuer: 'Issued by',
  validityYears: 'Years it lasts',
  creditsRequired: 'Credits needed',
  feeUsd: 'Renewal fee',
  unitName: 'Unit name',
  week: 'Week',
  time: 'Time',
  weekday: 'Day of the week',
  mentor: 'Mentor',
  startDate: 'Start date',
  firstDate: 'First date',
  doneOn: 'Done on',
  fields: 'Fields',
  tags: 'Tags',
  tag: 'Tag',
  text: 'Search',
  deckPath: 'Deck',
  tagPrefix: 'Tag',
  remindMinutesBefore: 'Reminder time before a check-in',
  stem: 'Question',
  options: 'The options',
  document: 'Source document',
  topics: 'Topics',
};

/** Examples shown with "enter ... as ..." sentences. */
const EXAMPLES: Record<string, string> = {
  daysBefore: 'e.g. 90, 30, 7',
  learningSteps: 'e.g. 1m 10m',
  relearningSteps: 'e.g. 10m',
  dailyGoalCards: 'e.g. 20',
  units: 'e.g. 1.5',
  date: 'e.g. 2026-03-31',
  earnedOn: 'e.g. 2026-03-31',
  expiresOn: 'e.g. 2028-03-31',
  time: 'e.g. 17:30',
};

/** zod's own wording, which is replaced; messages written in the schemas are kept. */
const LIBRARY_WORDING = /^(Invalid|Too (small|big)|Unrecognized|Expected)/;

/** The field an issue is about: the last named step of its path ("rules.daysBefore.0" -> "daysBefore"). */
export function issueField(issue: z.core.$ZodIssue): string | null {
  const named = issue.path.filter((p): p is string => typeof p === 'string');
  return named.at(-1) ?? null;
}

function words(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function fieldLabel(key: string | null): string {
  return key === null ? 'This' : (LABELS[key] ?? words(key));
}

function lower(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

function finish(sentence: string): string {
  const s = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

/** One issue as one sentence: "Enter days before expiry as numbers, e.g. 90, 30, 7." */
export function issueSentence(issue: z.core.$ZodIssue): string {
  const key = issueField(issue);
  const label = fieldLabel(key);
  const many = typeof issue.path.at(-1) === 'number';
  const example = key && EXAMPLES[key] ? `, ${EXAMPLES[key]}` : '';
  if (!LIBRARY_WORDING.test(issue.message) && /^[A-Z]/.test(issue.message)) {
    // A whole sentence written for this field in the schema ("Enter the server address, like …").
    return finish(issue.message);
  }
  if (!LIBRARY_WORDING.test(issue.message)) {
    // Written for this field in the schema ("must be whole days"): the field's name makes it a sentence.
    return finish(`${many ? `Each of ${lower(label)}` : label} ${issue.message}${example && /^must be/.test(issue.message) ? ` (${EXAMPLES[key!]})` : ''}`);
  }
  switch (issue.code) {
    case 'invalid_type': {
      const expected = String(issue.expected);
      if (/received undefined/.test(issue.message) && !many) return finish(`${label} is missing`);
      if (expected === 'number' || expected === 'int') return finish(`Enter ${lower(label)} as ${many ? 'numbers' : 'a number'}${example}`);
      if (expected === 'string') return finish(`Enter ${lower(label)} as text`);
      if (expected === 'boolean') return finish(`${label} must be on or off`);
      if (expected === 'array') return finish(`Enter ${lower(label)} as a list${example}`);
      return finish(`${label} is not filled in correctly`);
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return finish(min <= 1 ? `${label} must not be empty` : `${label} must be at least ${min} characters long`);
      if (issue.origin === 'array') return finish(`${label} needs at least ${min} ${min === 1 ? 'entry' : 'entries'}`);
      return finish(`${many ? `Each of ${lower(label)}` : label} must be ${issue.inclusive === false ? 'more than' : 'at least'} ${min}`);
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return finish(`${label} must be at most ${max} characters long`);
      if (issue.origin === 'array') return finish(`${label} can have at most ${max} entries`);
      return finish(`${many ? `Each of ${lower(label)}` : label} must be ${issue.inclusive === false ? 'less than' : 'at most'} ${max}`);
    }
    case 'invalid_value':
      return finish(`${label} must be one of: ${issue.values.map(String).join(', ')}`);
    case 'invalid_format':
      return finish(`${label} is not written the expected way${example}`);
    case 'not_multiple_of':
      return finish(`${label} must be a multiple of ${String(issue.divisor)}`);
    case 'unrecognized_keys':
      return finish(`Cadence does not know ${issue.keys.length === 1 ? 'the field' : 'the fields'} ${issue.keys.join(', ')}`);
    default:
      return finish(`${label} is not filled in correctly${example}`);
  }
}

/** Where in a file an issue is, in words: "modules.1.week" -> "Module 2". Empty for a form's own fields. */
function location(path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  for (let i = 1; i < path.length; i++) {
    const [name, index] = [path[i - 1], path[i]];
    if (typeof name === 'string' && typeof index === 'number') parts.push(`${words(name).replace(/s$/, '')} ${index + 1}`);
  }
  return parts.map((p, i) => (i === 0 ? p : p.toLowerCase())).join(', ');
}

/**
 * Every issue as sentences, at most five, one per field: what a whole-form message says. `inFile`
 * names where each is ("Module 2: Week must be at least 1."), for files whose lists hold many records.
 */
export function describeIssueList(issues: readonly z.core.$ZodIssue[], { inFile = false } = {}): string {
  const seen = new Set<string>();
  const sentences: string[] = [];
  for (const issue of issues) {
    const where = inFile ? location(issue.path) : '';
    const key = `${where}|${issueField(issue) ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The location names the record, so the sentence speaks of the list, not of "each of" it.
    const trimmed = where && typeof issue.path.at(-1) === 'number' ? { ...issue, path: issue.path.slice(0, -1) } : issue;
    sentences.push(where ? `${where}: ${issueSentence(trimmed)}` : issueSentence(issue));
    if (sentences.length === 5) break;
  }
  return sentences.join(' ');
}

/** Each field's first problem, by field key: what forms show beside their fields. */
export function issuesByField(issues: readonly z.core.$ZodIssue[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of issues) {
    const key = issueField(issue) ?? '';
    out[key] ??= issueSentence(issue);
  }
  return out;
}
