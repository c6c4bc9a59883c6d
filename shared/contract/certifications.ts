// Channels and push events of the certifications feature (catalog, the user's certifications, credit
// log, renewal rules, calendar export) and of the reminders inbox shared by every feature.
// Merged into the contract by shared/contract.ts.
import { z } from 'zod';
import { calendarDate, channel, id, instant, noInput, ok } from './define';

// ---------------------------------------------------------------------------------------------
// Catalog (assets/certifications.json). Unknown values are null and shown as "not confirmed".

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');
const categoryId = z.string().regex(/^[a-z][a-z_]*$/, 'must be lowercase letters and underscores');

export const creditCategorySchema = z
  .object({
    id: categoryId,
    label: z.string().min(1),
    hint: z.string().default(''),
  })
  .strict();
export type CreditCategory = z.output<typeof creditCategorySchema>;

/**
 * `confirmed: false`: the rule rests on one secondary source. It is shown, as "not confirmed", but it
 * neither blocks a renewal (minimums) nor stops credits counting (caps).
 */
const confirmed = z.boolean().default(true);
/** The group's own sources, where they are narrower than those of the entry's minimums or caps as a whole. */
const groupSource = z.array(z.url()).min(1).optional();
/** A group of categories that must reach `min` units (PMI: >= 35 Education, >= 8 per Talent Triangle area). */
export const creditMinimumSchema = z
  .object({ label: z.string().min(1), categories: z.array(categoryId).min(1), min: z.number().positive(), confirmed, source: groupSource })
  .strict();
/** A group of categories of which at most `max` units count (PMI: <= 25 Giving Back). */
export const creditCapSchema = z
  .object({ label: z.string().min(1), categories: z.array(categoryId).min(1), max: z.number().positive(), confirmed, source: groupSource })
  .strict();
export type CreditMinimum = z.output<typeof creditMinimumSchema>;
export type CreditCap = z.output<typeof creditCapSchema>;

export const unitNameSchema = z
  .object({ singular: z.string().min(1), plural: z.string().min(1), longName: z.string().min(1) })
  .strict();
export type UnitName = z.output<typeof unitNameSchema>;

/** What follows the expiry date: Scrum Alliance's CSP grace, PMI's suspension. duration null: not confirmed. */
export const graceSchema = z
  .object({
    kind: z.enum(['grace', 'suspension']),
    duration: z.object({ unit: z.enum(['days', 'years']), amount: z.number().int().positive() }).strict().nullable(),
    note: z.string().default(''),
  })
  .strict();
export type Grace = z.output<typeof graceSchema>;

/**
 * What supports one rule of an entry or body: the addresses it comes from (each described in the
 * catalog's sources list). `assumed`: nobody states it, it was inferred (the value must then be null).
 * `disputed`: official sources disagree (the value must be null, and the entry lists the claims).
 */
export const evidenceSchema = z
  .object({
    source: z.array(z.url()).min(1, 'must cite at least one source'),
    assumed: z.boolean().default(false),
    disputed: z.boolean().default(false),
    note: z.string().default(''),
  })
  .strict();
export type Evidence = z.output<typeof evidenceSchema>;

/** The rules of an entry that need evidence when they have a value. */
export const ENTRY_RULES = ['expires', 'validityYears', 'creditsRequired', 'feeUsd', 'grace', 'minimums', 'caps', 'addOnCredits'] as const;
export const BODY_RULES = ['dailyCap', 'creditWindow'] as const;
export type EntryRule = (typeof ENTRY_RULES)[number];

/** Official sources that disagree about one rule, each claim with the date of the page that makes it. */
export const disputeSchema = z
  .object({
    rule: z.enum(ENTRY_RULES),
    claims: z
      .array(z.object({ says: z.string().min(1), source: z.url(), dated: z.string().min(1) }).strict())
      .min(2, 'a dispute needs at least two claims'),
  })
  .strict();
export type Dispute = z.output<typeof disputeSchema>;

/** Most units that count for one day, in the categories the sources state it for (Scrum Alliance: 8, events). */
export const dailyCapSchema = z.object({ max: z.number().positive(), categories: z.array(categoryId).min(1) }).strict();
export type DailyCap = z.output<typeof dailyCapSchema>;

/** The date a person checked the rules against the body's live official page; null: not yet. */
const lastVerified = calendarDate.nullable();

export const bodySchema = z
  .object({
    id: slug,
    name: z.string().min(1),
    website: z.url({ protocol: /^https$/, error: 'must be an https address' }),
    unit: unitNameSchema,
    categories: z.array(creditCategorySchema),
    /** Category that study time in linked decks is suggested under ("independent learning"). */
    studyCategory: categoryId.nullable(),
    dailyCap: dailyCapSchema.nullable(),
    /** Credits count for every certification of this body (Scrum Alliance's one SEU log), not only the one they were logged under. */
    sharedCreditPool: z.boolean(),
    creditWindow: z
      .object({
        /** Credits count from this many months before the expiry date; null: from the start of the cycle. */
        monthsBeforeExpiry: z.number().int().positive().nullable(),
        /** Credits earned during the grace/suspension period still count (PMI). */
        includesGrace: z.boolean(),
      })
      .strict(),
    /** The body's rule for renewing several certifications at once. */
    combinedRenewal: z.enum(['scrum-alliance']).nullable(),
    notes: z.array(z.string()).default([]),
    source: z.array(z.url()).min(1, 'must cite at least one source'),
    evidence: z.partialRecord(z.enum(BODY_RULES), evidenceSchema).default({}),
    lastVerified,
  })
  .strict();
export type CertBody = z.output<typeof bodySchema>;

export const scrumAllianceRoleSchema = z
  .object({
    /** Track for the multi-certification rule: Scrum Master, Product Owner, Developer, or the general CSP. */
    track: z.enum(['sm', 'po', 'dev', 'general']),
    /** 1 foundational, 2 advanced, 3 professional. */
    level: z.number().int().min(1).max(3),
    /** Units this certification adds when it is the highest of another track. */
    addOnCredits: z.number().positive(),
  })
  .strict();

export const catalogEntrySchema = z
  .object({
    id: slug,
    body: slug,
    name: z.string().min(1),
    abbreviation: z.string().min(1),
    /** true: expires after validityYears; false: never expires; null: not confirmed. */
    expires: z.boolean().nullable(),
    validityYears: z.number().int().positive().nullable(),
    /** Units per renewal; 0 when nothing is needed; null: not confirmed. */
    creditsRequired: z.number().nonnegative().nullable(),
    minimums: z.array(creditMinimumSchema).default([]),
    caps: z.array(creditCapSchema).default([]),
    /** Renewal fee in US dollars; 0 when there is none; null: not confirmed. */
    feeUsd: z.number().nonnegative().nullable(),
    grace: graceSchema.nullable(),
    scrumAlliance: scrumAllianceRoleSchema.nullable().default(null),
    notes: z.array(z.string()).default([]),
    source: z.array(z.url()).min(1, 'must cite at least one source'),
    evidence: z.partialRecord(z.enum(ENTRY_RULES), evidenceSchema).default({}),
    disputes: z.array(disputeSchema).default([]),
    lastVerified,
  })
  .strict();
export type CatalogEntry = z.output<typeof catalogEntrySchema>;

// ---------------------------------------------------------------------------------------------
// The user's certifications.

export const CERT_STATUSES = ['active', 'due_soon', 'grace', 'expired', 'lifetime', 'unknown'] as const;
export const certStatusSchema = z.enum(CERT_STATUSES);
export type CertStatus = z.output<typeof certStatusSchema>;

const uniqueDays = (days: number[]) => new Set(days).size === days.length;

/** When to remind about one certification. */
export const reminderRulesSchema = z
  .object({
    enabled: z.boolean(),
    daysBefore: z
      .array(z.number().int('must be whole days').min(1, 'must be at least 1 day').max(365, 'must be at most 365 days'))
      .max(12, 'at most 12 reminders before expiry')
      .refine(uniqueDays, 'must not repeat a day'),
    onExpiryDay: z.boolean(),
    weeklyDuringGrace: z.boolean(),
    creditPace: z.boolean(),
  })
  .strict();
export type ReminderRules = z.output<typeof reminderRulesSchema>;

export const DEFAULT_REMINDER_RULES: ReminderRules = {
  enabled: true,
  daysBefore: [90, 60, 30, 7, 1],
  onExpiryDay: true,
  weeklyDuringGrace: true,
  creditPace: true,
};

export const CREDIT_FLAGS = ['outside_window', 'before_earned', 'over_daily_cap', 'over_cap', 'used'] as const;
export const creditFlagSchema = z.enum(CREDIT_FLAGS);

/** A file attached to a credit entry as proof (a certificate PDF, a receipt picture). */
export const creditEvidenceSchema = z.object({
  id: z.number(),
  /** The name the file had when it was attached. */
  fileName: z.string(),
  kind: z.enum(['pdf', 'image']),
  sizeBytes: z.number(),
  addedAt: z.number(),
});
export type CreditEvidence = z.output<typeof creditEvidenceSchema>;

export const creditSchema = z.object({
  id: z.number(),
  certificationId: z.number(),
  /** Abbreviation of the certification it was logged under (credits can count for several). */
  loggedUnder: z.string(),
  /** The day it was completed. */
  date: z.string(),
  /** Its first day when it took several days; null: one day. */
  startedOn: z.string().nullable(),
  /** What it was: course title, event, book, role ("PMP exam prep course"). */
  activity: z.string(),
  units: z.number(),
  /** Units that count for the certification being looked at (0 when flagged). */
  counted: z.number(),
  category: z.string(),
  categoryLabel: z.string(),
  provider: z.string(),
  note: z.string(),
  origin: z.enum(['manual', 'study']),
  flags: z.array(creditFlagSchema),
  /** Why the entry does not (fully) count, in words. */
  flagText: z.string().nullable(),
  evidence: z.array(creditEvidenceSchema),
});
export type Credit = z.output<typeof creditSchema>;

export const requirementLineSchema = z.object({
  kind: z.enum(['total', 'minimum', 'cap']),
  label: z.string(),
  /** Units that count toward this line (for caps: everything logged in the group). */
  value: z.number(),
  /** Required total or minimum, or the cap's maximum. */
  target: z.number(),
  met: z.boolean(),
  text: z.string(),
});
export type RequirementLine = z.output<typeof requirementLineSchema>;

export const progressSchema = z.object({
  /** null: the body's requirement is not confirmed. */
  required: z.number().nullable(),
  counted: z.number(),
  lines: z.array(requirementLineSchema),
  /** true when every line is met; null when the requirement is not confirmed. */
  renewable: z.boolean().nullable(),
  /** Why it is not renewable yet, one sentence each. */
  reasons: z.array(z.string()),
  windowFrom: z.string(),
  windowTo: z.string(),
  /** Which dates count, and why the window's end differs from the expiry when it does. */
  windowText: z.string(),
});
export type Progress = z.output<typeof progressSchema>;

export const certSummarySchema = z.object({
  id: z.number(),
  catalogId: z.string(),
  bodyId: z.string(),
  bodyName: z.string(),
  name: z.string(),
  abbreviation: z.string(),
  label: z.string(),
  earnedOn: z.string(),
  credentialId: z.string(),
  url: z.string().nullable(),
  cycleStart: z.string(),
  /** The expiry in force (the user's own date when set, else the computed one); null: none or unknown. */
  expiresOn: z.string().nullable(),
  /** What the body's rule gives, shown beside an edited date. */
  computedExpiresOn: z.string().nullable(),
  expiryEdited: z.boolean(),
  status: certStatusSchema,
  statusText: z.string(),
  /** Calendar days until the expiry (negative after it). */
  daysLeft: z.number().nullable(),
  graceEndsOn: z.string().nullable(),
  unit: unitNameSchema,
  feeUsd: z.number().nullable(),
  progress: progressSchema.nullable(),
  /** "12 more SEUs by 3 March 2027; $100 fee" */
  shortfallText: z.string().nullable(),
  renewals: z.number(),
});
export type CertSummary = z.output<typeof certSummarySchema>;

export const studySuggestionSchema = z.object({
  from: instant,
  until: instant,
  units: z.number(),
  days: z.array(z.object({ date: z.string(), units: z.number() })),
  category: z.string(),
  categoryLabel: z.string(),
  text: z.string(),
});
export type StudySuggestion = z.output<typeof studySuggestionSchema>;

export const combinedRenewalSchema = z.object({
  bodyName: z.string(),
  certifications: z.array(z.object({ id: z.number(), abbreviation: z.string(), role: z.string() })),
  creditsRequired: z.number(),
  feeUsd: z.number().nullable(),
  dueOn: z.string(),
  counted: z.number(),
  renewable: z.boolean(),
  text: z.string(),
});
export type CombinedRenewal = z.output<typeof combinedRenewalSchema>;

const catalogInfoSchema = z.object({
  custom: z.boolean(),
  expires: z.boolean().nullable(),
  validityYears: z.number().nullable(),
  grace: graceSchema.nullable(),
  graceText: z.string(),
  notes: z.array(z.string()),
  /** Each source with where it was read: "official page, from a copy of unknown date", "secondary source". */
  sources: z.array(z.object({ url: z.string(), label: z.string() })),
  /** Rules whose official sources disagree, each claim with its date. */
  disputes: z.array(disputeSchema),
  /** The date a person checked the live official page; null: not yet (the rules come from copies). */
  lastVerified: z.string().nullable(),
  bodyWebsite: z.string().nullable(),
  categories: z.array(creditCategorySchema),
  /** Most units that count per day in `dailyCapCategories`; null: no daily limit. */
  dailyCap: z.number().nullable(),
  dailyCapCategories: z.array(z.string()),
});

export const certDetailSchema = certSummarySchema.extend({
  catalog: catalogInfoSchema,
  credits: z.array(creditSchema),
  linkedDecks: z.array(z.object({ id: z.number(), path: z.string() })),
  studySuggestion: studySuggestionSchema.nullable(),
  reminderRules: reminderRulesSchema,
  reminderRulesAreDefault: z.boolean(),
  /** The reminders still to come under these rules, soonest first. */
  upcomingReminders: z.array(z.object({ date: z.string(), title: z.string() })),
  /** Study time up to this moment was logged or dismissed already; null: none yet. */
  studyLoggedUntil: z.number().nullable(),
  /** Scrum Alliance: the one renewal covering all the user's certifications of that body. */
  combined: combinedRenewalSchema.nullable(),
});
export type CertDetail = z.output<typeof certDetailSchema>;

// ---------------------------------------------------------------------------------------------
// Inputs.

const text = (max: number) => z.string({ error: 'must be text' }).trim().max(max, `must be at most ${max} characters`);
const httpsUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((s) => {
    try {
      return new URL(s).protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an https:// address');
const units = z
  .number({ error: 'must be a number' })
  .positive('must be more than 0')
  .max(1000, 'must be at most 1000')
  .refine((n) => Number.isInteger(n * 4), 'must be in steps of 0.25');

export const customCertSchema = z
  .object({
    name: text(120).min(1, 'must not be empty'),
    abbreviation: text(30).min(1, 'must not be empty'),
    issuer: text(120).default(''),
    /** null: never expires. */
    validityYears: z.number().int('must be whole years').min(1).max(10, 'must be at most 10 years').nullable(),
    creditsRequired: z.number().nonnegative().max(1000).nullable().default(null),
    feeUsd: z.number().nonnegative().max(100_000).nullable().default(null),
    unitName: text(20).min(1).default('hours'),
  })
  .strict();

export const certAddSchema = z
  .object({
    catalogId: z.string().min(1, 'must name a catalog entry or "custom"').max(100, 'is not a catalog entry'),
    custom: customCertSchema.optional(),
    label: text(60).default(''),
    earnedOn: calendarDate,
    credentialId: text(120).default(''),
    url: httpsUrl.nullable().default(null),
    /** The date on the certificate when it differs from the computed one. */
    expiresOn: calendarDate.nullable().default(null),
  })
  .strict();

export const certUpdateSchema = z
  .object({
    id,
    label: text(60).optional(),
    earnedOn: calendarDate.optional(),
    credentialId: text(120).optional(),
    url: httpsUrl.nullable().optional(),
    /** null: use the computed expiry again. */
    expiresOn: calendarDate.nullable().optional(),
    custom: customCertSchema.optional(),
  })
  .strict();

export const creditInputSchema = z
  .object({
    certificationId: id,
    /** The day it was completed. */
    date: calendarDate,
    /** Its first day when it took several days (a course over a week); null or absent: one day. */
    startedOn: calendarDate.nullable().default(null),
    units,
    category: z.string().min(1, 'must be chosen').max(100, 'is not a known category'),
    provider: text(200).default(''),
    activity: text(200).default(''),
    note: text(2000).default(''),
  })
  .strict();

export const creditUpdateSchema = creditInputSchema.omit({ certificationId: true }).extend({ id }).strict();

// ---------------------------------------------------------------------------------------------
// Reminders inbox (every feature's reminders).

export const reminderTargetSchema = z.object({ kind: z.string(), id: z.number() });
export type ReminderTarget = z.output<typeof reminderTargetSchema>;

export const inboxItemSchema = z.object({
  id: z.number(),
  source: z.string(),
  title: z.string(),
  body: z.string(),
  target: reminderTargetSchema,
  dueAt: z.number(),
  firedAt: z.number(),
  /** Came due while Cadence was closed. */
  missed: z.boolean(),
  snoozedUntil: z.number().nullable(),
});
export type InboxItem = z.output<typeof inboxItemSchema>;

export const certificationsChannels = {
  /** Catalog of known certifications and their bodies. */
  'certs.catalog': channel(
    noInput,
    z.object({ bodies: z.array(bodySchema), entries: z.array(catalogEntrySchema), defaultReminderRules: reminderRulesSchema }),
  ),
  /** The user's certifications with status and progress, and each body's combined renewal. */
  'certs.list': channel(
    noInput,
    z.object({ today: z.string(), certifications: z.array(certSummarySchema), combined: z.array(combinedRenewalSchema) }),
  ),
  'certs.get': channel(z.object({ id }).strict(), certDetailSchema),
  'certs.add': channel(certAddSchema, certDetailSchema),
  'certs.update': channel(certUpdateSchema, certDetailSchema),
  /** Deletes a certification with its credit log and reminders. */
  'certs.remove': channel(z.object({ id }).strict(), ok),
  /** Records that the user renewed: the next cycle starts; the credits used are kept but no longer count. */
  'certs.renew': channel(
    z.object({ id }).strict(),
    z.object({ renewed: z.array(z.object({ id: z.number(), abbreviation: z.string(), expiresOn: z.string() })) }),
  ),
  'certs.linkDecks': channel(z.object({ id, deckIds: z.array(id).max(200) }).strict(), certDetailSchema),
  /** null rules: back to the defaults. */
  'certs.setReminderRules': channel(
    z
      .object({
        id,
        rules: reminderRulesSchema
          // Turned on with nothing to remind on would save silently and never remind.
          .refine((r) => !r.enabled || r.daysBefore.length > 0 || r.onExpiryDay, {
            message: 'must list at least one day, e.g. 90, 30, 7 (or tick "On the expiry day", or turn reminders off)',
            path: ['daysBefore'],
          })
          .nullable(),
      })
      .strict(),
    certDetailSchema,
  ),
  'credits.add': channel(creditInputSchema, certDetailSchema),
  'credits.update': channel(creditUpdateSchema, certDetailSchema),
  'credits.remove': channel(z.object({ id }).strict(), certDetailSchema),
  /** Attaches a staged file (a certificate PDF, a receipt picture) to a credit entry as its evidence. */
  'credits.attach': channel(
    z.object({ creditId: id, stagedId: z.string().regex(/^[a-f0-9]{32}$/, 'is not a file Cadence was given'), fileName: text(255).min(1, 'must not be empty') }).strict(),
    certDetailSchema,
  ),
  'credits.detach': channel(z.object({ evidenceId: id }).strict(), certDetailSchema),
  /** A copy of one evidence file to download, under the name it was attached with. */
  'credits.evidenceFile': channel(z.object({ evidenceId: id }).strict(), z.object({ downloadName: z.string(), fileName: z.string() })),
  /** The credit log of one certification as CSV, in the columns renewal forms ask for. */
  'credits.exportCsv': channel(z.object({ certificationId: id }).strict(), z.object({ downloadName: z.string(), fileName: z.string(), rows: z.number() })),
  /** One renewal cycle for an auditor: summary, the credits that count for it as CSV, and their evidence files, in one zip. */
  'credits.auditPack': channel(
    z.object({ certificationId: id }).strict(),
    z.object({ downloadName: z.string(), fileName: z.string(), credits: z.number(), evidenceFiles: z.number() }),
  ),
  /** Logs the suggested study time (all of it, or `units` of it, most recent days first). */
  'credits.acceptStudy': channel(
    z
      .object({
        certificationId: id,
        until: instant,
        units: units.optional(),
        category: z.string().min(1).max(100, 'is not a known category').optional(),
        provider: text(200).optional(),
        note: text(2000).optional(),
      })
      .strict(),
    certDetailSchema,
  ),
  'credits.dismissStudy': channel(z.object({ certificationId: id, until: instant }).strict(), certDetailSchema),
  /** Writes an .ics calendar of renewal deadlines (all certifications, or the ones named). */
  'certs.exportIcs': channel(
    z.object({ ids: z.array(id).max(500).optional() }).strict().optional(),
    z.object({ downloadName: z.string(), fileName: z.string(), events: z.number() }),
  ),
  /** Claims what came due, then lists the inbox. */
  'reminders.inbox': channel(
    noInput,
    z.object({ items: z.array(inboxItemSchema), snoozed: z.array(inboxItemSchema), count: z.number() }),
  ),
  'reminders.snooze': channel(z.object({ id, for: z.enum(['1d', '1w']) }).strict(), inboxItemSchema),
  'reminders.dismiss': channel(z.object({ id }).strict(), ok),
  'reminders.dismissAll': channel(noInput, z.object({ dismissed: z.number() })),
};

export const certificationsEvents = {
  /** A reminder's OS notification was clicked: show what it is about. */
  'reminders.open': reminderTargetSchema,
};
