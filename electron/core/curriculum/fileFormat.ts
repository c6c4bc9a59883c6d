import { z } from 'zod';
import { calendarDate } from '../../../shared/contract/define';
import {
  curriculumName,
  deckPathInput,
  moduleStatusSchema,
  moduleTitle,
  moduleWeek,
  objectivesSchema,
  resourceSchema,
  resourcesSchema,
  tagPrefixInput,
} from '../../../shared/contract/curriculum';
import { AppError } from '../../../shared/errors';
import { describeIssueList } from '../../../shared/issueText';

// The curriculum file: bundled templates (assets/curricula/*.json) and the files users export and
// import share this one schema, so a template that passes the seed test is one the importer accepts.

export const CURRICULUM_FORMAT = 'cadence-curriculum';
export const CURRICULUM_FORMAT_VERSION = 1;

const fileLink = z
  .strictObject({ deck: deckPathInput.optional(), tag: tagPrefixInput.optional() })
  .refine((l) => l.deck !== undefined || l.tag !== undefined, 'must name a "deck", a "tag" or both');

const fileProgress = z.strictObject({
  status: moduleStatusSchema,
  startedOn: calendarDate.nullable().default(null),
  doneOn: calendarDate.nullable().default(null),
  notes: z.string().max(20_000).default(''),
});

const fileModule = z.strictObject({
  week: moduleWeek,
  title: moduleTitle,
  description: z.string().trim().max(4000).default(''),
  objectives: objectivesSchema.default([]),
  resources: resourcesSchema.default([]),
  /** Starter decks (by path, subdecks included) and tags whose cards measure this module's mastery. */
  links: z.array(fileLink).max(20).default([]),
  /** Present in files exported from a curriculum being followed. */
  progress: fileProgress.optional(),
});

export const curriculumFileSchema = z
  .strictObject({
    format: z.literal(CURRICULUM_FORMAT, { error: `must be "${CURRICULUM_FORMAT}"` }),
    version: z.literal(CURRICULUM_FORMAT_VERSION, { error: `must be ${CURRICULUM_FORMAT_VERSION} (this Cadence reads version 1 files)` }),
    kind: z.enum(['template', 'curriculum'], { error: 'must be "template" or "curriculum"' }),
    name: curriculumName,
    description: z.string().trim().max(4000).default(''),
    /** Where the module list comes from, shown with the curriculum. */
    basis: z.string().trim().max(2000).default(''),
    sources: z.array(resourceSchema).max(50).default([]),
    startDate: calendarDate.nullable().default(null),
    modules: z.array(fileModule).max(200, 'must have at most 200 modules'),
  })
  .superRefine((file, ctx) => {
    if (file.kind !== 'template') return;
    if (file.modules.length === 0) ctx.addIssue({ code: 'custom', path: ['modules'], message: 'a template needs at least one module' });
    if (file.sources.length === 0) ctx.addIssue({ code: 'custom', path: ['sources'], message: 'a template must cite its sources' });
    if (!/template/i.test(file.basis)) {
      ctx.addIssue({ code: 'custom', path: ['basis'], message: 'a template must say it is a template and what it was built from' });
    }
    file.modules.forEach((m, i) => {
      if (m.progress) ctx.addIssue({ code: 'custom', path: ['modules', i, 'progress'], message: 'a template carries no progress' });
    });
  });
export type CurriculumFile = z.output<typeof curriculumFileSchema>;
export type CurriculumFileModule = CurriculumFile['modules'][number];

/** Parses curriculum JSON text; a bad file is refused whole with a message that says where it is wrong. */
export function parseCurriculumFile(text: string): CurriculumFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new AppError('invalid_input', `This file is not valid JSON (${(err as Error).message}). Choose a curriculum file exported from Cadence.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || (raw as { format?: unknown }).format !== CURRICULUM_FORMAT) {
    throw new AppError('unsupported', `This is not a Cadence curriculum file (it needs "format": "${CURRICULUM_FORMAT}").`);
  }
  const parsed = curriculumFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid_input', `This curriculum file has problems, so nothing was imported: ${describeIssueList(parsed.error.issues, { inFile: true })}`);
  }
  return parsed.data;
}
