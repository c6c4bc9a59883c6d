// Channels and push events of the curriculum feature (curricula, modules, mentor check-ins and the
// Today screen). Merged into the contract by shared/contract.ts.
import { z } from 'zod';
import { calendarDate, channel, id, instant, noInput, ok } from './define';
import { deckSummarySchema } from './decks';
import { topicId as examTopicId } from './exams';

// ---------------------------------------------------------------------------------------------
// Inputs shared by channels and the curriculum file format

const text = (max: number) =>
  z.string({ error: 'must be text' }).trim().max(max, `must be at most ${max} characters`);
const requiredText = (max: number) => text(max).min(1, 'must not be empty');

export const curriculumName = requiredText(120);
export const moduleTitle = requiredText(160);
export const moduleWeek = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be 1 or more')
  .max(104, 'must be at most 104 (two years)');

/** Only web links: they open in the system browser. */
export const resourceSchema = z.strictObject({
  title: requiredText(200),
  url: z
    .string({ error: 'must be text' })
    .trim()
    .max(2000, 'must be at most 2000 characters')
    .refine((s) => {
      try {
        const u = new URL(s);
        return u.protocol === 'https:' || u.protocol === 'http:';
      } catch {
        return false;
      }
    }, 'must be a web address starting with https:// or http://'),
});
export type Resource = z.output<typeof resourceSchema>;

export const objectivesSchema = z.array(requiredText(300)).max(30, 'must list at most 30 objectives');
export const resourcesSchema = z.array(resourceSchema).max(30, 'must list at most 30 resources');

/** A deck path as typed: levels joined by '::' ("Starter::Scrum Guide 2020"). */
export const deckPathInput = requiredText(500).refine(
  (s) => s.split('::').every((level) => level.trim().length > 0),
  'must be deck names joined by "::" with no empty level',
);
/** A tag or the start of a tag hierarchy ("scrum::events" also matches "scrum::events::daily-scrum"). */
export const tagPrefixInput = requiredText(200).refine((s) => !/\s/.test(s), 'must be one tag without spaces');

export const moduleStatusSchema = z.enum(['not_started', 'in_progress', 'done']);
export type ModuleStatus = z.output<typeof moduleStatusSchema>;

/** Check-in time of day, 24-hour 'HH:mm'. */
export const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time written HH:mm (24-hour)');

// ---------------------------------------------------------------------------------------------
// Outputs

export const masterySchema = z.object({
  /** Cards matched by the module's links (suspended cards are left out). */
  cards: z.number(),
  reviewed: z.number(),
  /** Share of the cards reviewed at least once; null without cards. */
  reviewedShare: z.number().nullable(),
  /** Mean probability of recall now of the reviewed cards; null when none was reviewed. */
  meanRecall: z.number().nullable(),
  /**
   * Both card measures reach the thresholds in settings and, when the module links exam topics with
   * enough scored answers, so does its exam result; null when there is nothing to measure.
   */
  ready: z.boolean().nullable(),
  /** Recent mock exam answers on the exam topics the module links; null when it links none. */
  exam: z.object({ topics: z.array(z.string()), correct: z.number(), total: z.number(), share: z.number().nullable() }).nullable(),
});
export type Mastery = z.output<typeof masterySchema>;

export const moduleLinkSchema = z.object({
  id: z.number(),
  /** The deck's current path, or the path as written while no such deck exists. */
  deckPath: z.string().nullable(),
  deckId: z.number().nullable(),
  tagPrefix: z.string().nullable(),
  /** False when the link names a deck that does not exist (yet): it matches no cards. */
  resolved: z.boolean(),
});
export type ModuleLink = z.output<typeof moduleLinkSchema>;

export const moduleSchema = z.object({
  id: z.number(),
  curriculumId: z.number(),
  position: z.number(),
  week: z.number(),
  title: z.string(),
  description: z.string(),
  objectives: z.array(z.string()),
  resources: z.array(z.object({ title: z.string(), url: z.string() })),
  links: z.array(moduleLinkSchema),
  /** Exam topics (exams/) the module links: its mastery includes recent mock exam results on them. */
  examTopics: z.array(z.string()),
  status: moduleStatusSchema,
  startedOn: z.string().nullable(),
  doneOn: z.string().nullable(),
  notes: z.string(),
  /** When the planned week ends (start date + week × 7 days), null without a start date. */
  plannedBy: z.string().nullable(),
  /** Set when the user chose to mark the module done although its mastery was not ready. */
  doneDespiteMastery: z.boolean(),
  mastery: masterySchema,
});
export type CurriculumModule = z.output<typeof moduleSchema>;

export const paceSchema = z.object({
  state: z.enum(['no_start_date', 'not_started', 'on_track', 'ahead', 'behind', 'finished', 'empty']),
  /** "on track", "2 modules behind", "starts in 3 days", ... */
  label: z.string(),
  /** Modules whose planned week has ended by today. */
  expectedDone: z.number(),
  done: z.number(),
  /** done - expectedDone. */
  delta: z.number(),
  /** The week of the plan today falls in (1 = the start week), null before the start or without a date. */
  currentWeek: z.number().nullable(),
});
export type Pace = z.output<typeof paceSchema>;

export const progressSchema = z.object({ done: z.number(), inProgress: z.number(), total: z.number() });

export const moduleBriefSchema = z.object({
  id: z.number(),
  week: z.number(),
  title: z.string(),
  status: moduleStatusSchema,
  plannedBy: z.string().nullable(),
  mastery: masterySchema,
});
export type ModuleBrief = z.output<typeof moduleBriefSchema>;

export const curriculumSummarySchema = z.object({
  id: z.number(),
  name: z.string(),
  description: z.string(),
  startDate: z.string().nullable(),
  templateKey: z.string().nullable(),
  position: z.number(),
  progress: progressSchema,
  pace: paceSchema,
  /** The module in progress (or the first not done), and the one after it. */
  current: moduleBriefSchema.nullable(),
  next: moduleBriefSchema.nullable(),
});
export type CurriculumSummary = z.output<typeof curriculumSummarySchema>;

export const curriculumDetailSchema = curriculumSummarySchema.extend({
  /** Where the curriculum came from (a template's basis note), shown under its name. */
  basis: z.string(),
  modules: z.array(moduleSchema),
  thresholds: z.object({ recall: z.number(), reviewed: z.number() }),
});
export type CurriculumDetail = z.output<typeof curriculumDetailSchema>;

export const templateInfoSchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  basis: z.string(),
  weeks: z.number(),
  moduleCount: z.number(),
  sources: z.array(z.object({ title: z.string(), url: z.string() })),
});
export type TemplateInfo = z.output<typeof templateInfoSchema>;

export const checkinScheduleSchema = z.object({
  cadence: z.enum(['weekly', 'biweekly']),
  /** ISO weekday: 1 Monday ... 7 Sunday. */
  weekday: z.number(),
  time: z.string(),
  /** The first check-in's date; every-two-weeks check-ins count from it. */
  firstDate: z.string(),
  mentor: z.string(),
  curriculumId: z.number().nullable(),
  remindMinutesBefore: z.number(),
});
export type CheckinSchedule = z.output<typeof checkinScheduleSchema>;

export const checkinEntrySchema = z.object({
  id: z.number(),
  at: z.number(),
  date: z.string(),
  notes: z.string(),
  curriculumId: z.number().nullable(),
});
export type CheckinEntry = z.output<typeof checkinEntrySchema>;

export const nextCheckinSchema = z.object({ at: z.number(), date: z.string(), time: z.string(), mentor: z.string() });

export const checkinsSchema = z.object({
  schedule: checkinScheduleSchema.nullable(),
  next: nextCheckinSchema.nullable(),
  /** Newest first. */
  log: z.array(checkinEntrySchema),
});

/** A certification renewal coming up, for the Today screen. */
export const upcomingRenewalSchema = z.object({
  id: z.number(),
  title: z.string(),
  /** The date the certification lapses without renewal. */
  dueOn: z.string(),
  daysLeft: z.number(),
  /** What is still missing, e.g. "12 of 20 SEUs", empty when nothing is tracked. */
  detail: z.string(),
});
export type UpcomingRenewal = z.output<typeof upcomingRenewalSchema>;

export const todaySchema = z.object({
  today: z.string(),
  now: z.number(),
  /** Every deck in tree order with cards due now; totals over the top-level decks. */
  decks: z.array(deckSummarySchema),
  due: z.object({ newCards: z.number(), learning: z.number(), review: z.number() }),
  curricula: z.array(curriculumSummarySchema),
  /** Certifications to renew within 90 days (or in their grace period), soonest first. */
  renewals: z.array(upcomingRenewalSchema),
  checkin: nextCheckinSchema.nullable(),
  /** Consecutive study days with at least one answer, up to today (or yesterday while today is still open). */
  streak: z.object({ days: z.number(), studiedToday: z.boolean() }),
  goal: z.object({ target: z.number(), done: z.number() }),
});
export type Today = z.output<typeof todaySchema>;

// ---------------------------------------------------------------------------------------------
// Channel inputs

const linkFields = { deckId: id.optional(), deckPath: deckPathInput.optional(), tagPrefix: tagPrefixInput.optional() };
type LinkFields = { deckId?: number | undefined; deckPath?: string | undefined; tagPrefix?: string | undefined };
const namesSomething = (l: LinkFields) => l.deckId !== undefined || l.deckPath !== undefined || l.tagPrefix !== undefined;
const oneDeckName = (l: LinkFields) => !(l.deckId !== undefined && l.deckPath !== undefined);
const NAMES_SOMETHING = 'must name a deck, a tag or both';
const ONE_DECK_NAME = 'must name the deck by id or by path, not both';

const linkInput = z.strictObject(linkFields).refine(namesSomething, NAMES_SOMETHING).refine(oneDeckName, ONE_DECK_NAME);

const moduleFields = {
  week: moduleWeek,
  title: moduleTitle,
  description: text(4000),
  objectives: objectivesSchema,
  resources: resourcesSchema,
  notes: text(20_000),
};

const setStatusOutput = z.discriminatedUnion('needsConfirmation', [
  z.object({ needsConfirmation: z.literal(false), module: moduleSchema }),
  z.object({
    needsConfirmation: z.literal(true),
    /** Says what is low and asks whether to mark the module done anyway. */
    message: z.string(),
    mastery: masterySchema,
  }),
]);

export const curriculumChannels = {
  'curricula.list': channel(noInput, z.object({ curricula: z.array(curriculumSummarySchema) })),
  'curricula.get': channel(z.strictObject({ id }), curriculumDetailSchema),
  'curricula.templates': channel(noInput, z.object({ templates: z.array(templateInfoSchema) })),
  /** A new curriculum copied from a bundled template, planned from startDate. */
  'curricula.startTemplate': channel(
    z.strictObject({ templateKey: requiredText(100), startDate: calendarDate, name: curriculumName.optional() }),
    curriculumDetailSchema,
  ),
  'curricula.create': channel(
    z.strictObject({ name: curriculumName, description: text(4000).default(''), startDate: calendarDate.nullable().default(null) }),
    curriculumDetailSchema,
  ),
  'curricula.update': channel(
    z.strictObject({ id, name: curriculumName.optional(), description: text(4000).optional(), startDate: calendarDate.nullable().optional() }),
    curriculumDetailSchema,
  ),
  'curricula.delete': channel(z.strictObject({ id }), ok),
  /** The full new order of every curriculum. */
  'curricula.reorder': channel(z.strictObject({ ids: z.array(id).min(1, 'must list the curricula').max(10_000, 'lists too many curricula') }), ok),
  /** Writes the curriculum (modules, links and progress) as a JSON file to download. */
  'curricula.export': channel(
    z.strictObject({ id }),
    z.object({ downloadName: z.string(), fileName: z.string(), json: z.string() }),
  ),
  /** Reads a curriculum JSON file (staged with files.stage, or given as text); refuses a bad file whole. */
  'curricula.import': channel(
    z
      .strictObject({ stagedId: z.string().optional(), json: z.string().max(5_000_000, 'is too large for a curriculum file').optional() })
      .refine((i) => (i.stagedId === undefined) !== (i.json === undefined), 'must give either a staged file or the JSON text'),
    curriculumDetailSchema,
  ),

  'modules.create': channel(
    z.strictObject({
      curriculumId: id,
      ...moduleFields,
      description: moduleFields.description.default(''),
      objectives: moduleFields.objectives.default([]),
      resources: moduleFields.resources.default([]),
      notes: moduleFields.notes.default(''),
      links: z.array(linkInput).max(20, 'must list at most 20 links').default([]),
    }),
    moduleSchema,
  ),
  'modules.update': channel(
    z.strictObject({
      id,
      week: moduleFields.week.optional(),
      title: moduleFields.title.optional(),
      description: moduleFields.description.optional(),
      objectives: moduleFields.objectives.optional(),
      resources: moduleFields.resources.optional(),
      notes: moduleFields.notes.optional(),
    }),
    moduleSchema,
  ),
  'modules.delete': channel(z.strictObject({ id }), ok),
  /** The full new order of the curriculum's modules. */
  'modules.reorder': channel(
    z.strictObject({ curriculumId: id, ids: z.array(id).min(1, 'must list the modules').max(10_000, 'lists too many modules') }),
    curriculumDetailSchema,
  ),
  /**
   * Sets the status (dates default to today). Marking done while mastery is not ready answers
   * needsConfirmation and changes nothing, unless confirm is true.
   */
  'modules.setStatus': channel(
    z.strictObject({ id, status: moduleStatusSchema, date: calendarDate.optional(), confirm: z.boolean().default(false) }),
    setStatusOutput,
  ),
  /** Links a deck (by id or path; its subdecks included) and/or a tag prefix to a module. */
  'modules.link': channel(
    z.strictObject({ moduleId: id, ...linkFields }).refine(namesSomething, NAMES_SOMETHING).refine(oneDeckName, ONE_DECK_NAME),
    moduleSchema,
  ),
  'modules.unlink': channel(z.strictObject({ linkId: id }), moduleSchema),
  /** Links or unlinks an exam topic ("scrum-events"): the module's mastery then includes mock exam results on it. */
  'modules.linkExamTopic': channel(z.strictObject({ moduleId: id, topic: examTopicId }), moduleSchema),
  'modules.unlinkExamTopic': channel(z.strictObject({ moduleId: id, topic: examTopicId }), moduleSchema),

  'checkins.get': channel(noInput, checkinsSchema),
  'checkins.setSchedule': channel(
    z.strictObject({
      cadence: z.enum(['weekly', 'biweekly'], { error: 'must be "weekly" or "biweekly"' }),
      weekday: z.number({ error: 'must be a number' }).int().min(1, 'must be 1 (Monday) to 7 (Sunday)').max(7, 'must be 1 (Monday) to 7 (Sunday)'),
      time: timeOfDay,
      firstDate: calendarDate.optional(),
      mentor: text(120).default(''),
      curriculumId: id.nullable().default(null),
      remindMinutesBefore: z.number().int().min(0).max(10_080, 'must be at most a week (10080 minutes)').default(60),
    }),
    checkinsSchema,
  ),
  'checkins.clearSchedule': channel(noInput, checkinsSchema),
  'checkins.log': channel(
    z.strictObject({ at: instant.optional(), notes: text(20_000).default(''), curriculumId: id.nullable().default(null) }),
    checkinEntrySchema,
  ),
  'checkins.updateLog': channel(z.strictObject({ id, at: instant.optional(), notes: text(20_000).optional() }), checkinEntrySchema),
  'checkins.deleteLog': channel(z.strictObject({ id }), ok),

  /** Everything the home screen shows, in one round trip. */
  'today.get': channel(noInput, todaySchema),
};

export const curriculumEvents = {};
