// The user's certifications and credit log in SQLite, and the views the renderer shows: status,
// progress against the body's rules, the Scrum Alliance combined renewal, study-time suggestions.
// One service per opened collection (statements prepared once).
import type {
  CatalogEntry,
  CertDetail,
  CertSummary,
  CombinedRenewal,
  Credit,
  CreditEvidence,
  ReminderRules,
  StudySuggestion,
} from '../../../shared/contract/certifications';
import { DEFAULT_REMINDER_RULES, reminderRulesSchema } from '../../../shared/contract/certifications';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { makeDeckStore } from '../flashcards/decks';
import { CUSTOM_ID, customRules, loadCatalog, type Catalog, type CustomFields } from './catalog';
import { formatUnits, localDate, localInstant, longDate } from './dates';
import {
  certDates,
  certStatus,
  combinedRenewal,
  combinedWindow,
  creditFlagText,
  creditWindow,
  dayCount,
  evaluateCredits,
  evaluateRequirement,
  graceText,
  renewalDeadline,
  scrumAlliancePlan,
  shortfallText,
  sumByCategory,
  windowText,
  type CertDates,
  type CreditRecord,
  type CreditVerdict,
  type Rules,
} from './rules';
import { makeEvidenceStore } from './evidence';
import { certificationReminders, type CertReminderItem } from './reminderRules';
import { examPracticeMs, studyDays } from './studyTime';

export interface CertRow {
  id: number;
  catalog_id: string;
  label: string;
  custom: string | null;
  earned_on: string;
  cycle_start: string;
  expires_override: string | null;
  credential_id: string;
  url: string | null;
  reminder_rules: string | null;
  study_cut: number | null;
  renewals: number;
  created_at: number;
  updated_at: number;
}

export interface CreditRow {
  id: number;
  certification_id: number;
  earned_on: string;
  started_on: string | null;
  units: number;
  category: string;
  provider: string;
  activity: string;
  note: string;
  origin: 'manual' | 'study';
  used_at: number | null;
}

/** Everything computed about one certification on one day. */
export interface Computed {
  row: CertRow;
  rules: Rules;
  dates: CertDates;
  status: ReturnType<typeof certStatus>;
  window: { from: string; to: string };
  /** Credits that can count for it: its own, or the whole body's for a shared pool (Scrum Alliance). */
  pool: CreditRow[];
  verdicts: Map<number, CreditVerdict>;
  progress: ReturnType<typeof evaluateRequirement> | null;
  shortfall: string | null;
  reminderRules: ReminderRules;
}

interface Snapshot {
  today: string;
  rows: CertRow[];
  credits: CreditRow[];
}

export function toRecord(c: CreditRow): CreditRecord {
  return { id: c.id, certificationId: c.certification_id, date: c.earned_on, startedOn: c.started_on, units: c.units, category: c.category, usedAt: c.used_at };
}

function parseRules(json: string | null): ReminderRules {
  if (!json) return DEFAULT_REMINDER_RULES;
  const parsed = reminderRulesSchema.safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : DEFAULT_REMINDER_RULES;
}

export function makeCertService(ctx: CoreContext) {
  const { db } = ctx;
  const catalog: Catalog = loadCatalog(ctx.paths.assetsDir);
  const decks = makeDeckStore(db);
  const evidence = makeEvidenceStore(db);

  const selectRows = db.prepare<[], CertRow>('SELECT * FROM certifications ORDER BY id');
  const selectRow = db.prepare<[number], CertRow>('SELECT * FROM certifications WHERE id = ?');
  const selectCredits = db.prepare<[], CreditRow>('SELECT * FROM certification_credits ORDER BY earned_on, id');
  const selectCredit = db.prepare<[number], CreditRow>('SELECT * FROM certification_credits WHERE id = ?');
  const selectLinked = db.prepare<[number], { deck_id: number }>('SELECT deck_id FROM certification_decks WHERE certification_id = ?');

  function rulesFor(row: Pick<CertRow, 'catalog_id' | 'custom'>): Rules {
    if (row.catalog_id === CUSTOM_ID) {
      if (!row.custom) throw new AppError('internal', 'A custom certification lost its details.');
      return customRules(JSON.parse(row.custom) as CustomFields);
    }
    const entry = catalog.entry(row.catalog_id);
    const body = entry ? catalog.body(entry.body) : undefined;
    if (!entry || !body) {
      // A newer catalog dropped the entry: keep showing the certification as a plain one without rules.
      return customRules({ name: row.catalog_id, abbreviation: row.catalog_id, issuer: '', validityYears: null, creditsRequired: null, feeUsd: null, unitName: 'hours' });
    }
    return { entry, body };
  }

  function abbreviationOf(row: CertRow, rules = rulesFor(row)): string {
    return rules.entry.abbreviation;
  }

  function snapshot(now = ctx.clock.now()): Snapshot {
    return { today: localDate(now), rows: selectRows.all(), credits: selectCredits.all() };
  }

  function poolOf(snap: Snapshot, row: CertRow, rules: Rules): CreditRow[] {
    if (!rules.body.sharedCreditPool) return snap.credits.filter((c) => c.certification_id === row.id);
    const sameBody = new Set(snap.rows.filter((r) => rulesFor(r).body.id === rules.body.id).map((r) => r.id));
    return snap.credits.filter((c) => sameBody.has(c.certification_id));
  }

  function compute(snap: Snapshot, row: CertRow): Computed {
    const rules = rulesFor(row);
    const dates = certDates(rules, row.cycle_start, row.expires_override);
    const status = certStatus(snap.today, rules, dates);
    const window = creditWindow(rules, row.cycle_start, dates);
    const pool = poolOf(snap, row, rules);
    const records = pool.map(toRecord);
    const verdicts = evaluateCredits(records, window, rules.body.dailyCap, { earnedOn: row.earned_on, caps: rules.entry.caps });
    const needsCredits = rules.entry.creditsRequired !== 0 && rules.entry.expires !== false;
    const progress = needsCredits
      ? evaluateRequirement(
          rules,
          sumByCategory(records, verdicts),
          { ...window, text: windowText(rules, window, dates, row.earned_on) },
          sumByCategory(records, verdicts, 'logged'),
        )
      : null;
    const shortfall = status.status === 'lifetime' ? null : shortfallText(rules, progress, renewalDeadline(snap.today, dates), rules.entry.feeUsd);
    return { row, rules, dates, status, window, pool, verdicts, progress, shortfall, reminderRules: parseRules(row.reminder_rules) };
  }

  function summary(c: Computed): CertSummary {
    const { row, rules, dates, status } = c;
    return {
      id: row.id,
      catalogId: row.catalog_id,
      bodyId: rules.body.id,
      bodyName: rules.body.name,
      name: rules.entry.name,
      abbreviation: rules.entry.abbreviation,
      label: row.label,
      earnedOn: row.earned_on,
      credentialId: row.credential_id,
      url: row.url,
      cycleStart: row.cycle_start,
      expiresOn: dates.expiresOn,
      computedExpiresOn: dates.computedExpiresOn,
      expiryEdited: row.expires_override !== null,
      status: status.status,
      statusText: status.text,
      daysLeft: status.daysLeft,
      graceEndsOn: dates.graceEndsOn,
      unit: rules.body.unit,
      feeUsd: rules.entry.feeUsd,
      progress: c.progress,
      shortfallText: c.shortfall,
      renewals: row.renewals,
    };
  }

  /** Scrum Alliance certifications that one renewal would cover: those not yet expired beyond grace. */
  function combinedFor(snap: Snapshot, computed: Computed[], bodyId: string): { renewal: CombinedRenewal; members: Computed[]; window: { from: string; to: string } } | null {
    const members = computed.filter(
      (c) => c.rules.body.id === bodyId && c.rules.body.combinedRenewal === 'scrum-alliance' && c.dates.expiresOn && ['active', 'due_soon', 'grace'].includes(c.status.status),
    );
    if (members.length < 2) return null;
    const body = members[0]!.rules.body;
    const plan = scrumAlliancePlan(
      members.map((m) => ({ id: m.row.id, abbreviation: m.rules.entry.abbreviation, entry: m.rules.entry, expiresOn: m.dates.expiresOn! })),
      body.unit.plural,
    );
    if (!plan) return null;
    const window = combinedWindow(body, plan.dueOn);
    const pool = members[0]!.pool;
    const verdicts = evaluateCredits(pool.map(toRecord), window, body.dailyCap);
    const counted = [...verdicts.values()].reduce((sum, v) => sum + v.counted, 0);
    return { renewal: combinedRenewal(body, plan, counted), members, window };
  }

  function combinedBodies(snap: Snapshot, computed: Computed[]): CombinedRenewal[] {
    const bodyIds = [...new Set(computed.filter((c) => c.rules.body.combinedRenewal).map((c) => c.rules.body.id))];
    return bodyIds.map((b) => combinedFor(snap, computed, b)?.renewal).filter((r): r is CombinedRenewal => r !== undefined);
  }

  function list(): { today: string; certifications: CertSummary[]; combined: CombinedRenewal[] } {
    const snap = snapshot();
    const computed = snap.rows.map((r) => compute(snap, r));
    return { today: snap.today, certifications: computed.map(summary), combined: combinedBodies(snap, computed) };
  }

  function requireRow(id: number): CertRow {
    const row = selectRow.get(id);
    if (!row) throw new AppError('not_found', 'That certification no longer exists.');
    return row;
  }

  function creditView(c: Computed, credit: CreditRow, abbreviations: Map<number, string>, evidence: Map<number, CreditEvidence[]>): Credit {
    const verdict = c.verdicts.get(credit.id) ?? { counted: 0, logged: 0, flags: [] };
    const label = c.rules.body.categories.find((cat) => cat.id === credit.category)?.label ?? credit.category;
    return {
      id: credit.id,
      certificationId: credit.certification_id,
      loggedUnder: abbreviations.get(credit.certification_id) ?? '',
      date: credit.earned_on,
      startedOn: credit.started_on,
      activity: credit.activity,
      units: credit.units,
      counted: verdict.counted,
      category: credit.category,
      categoryLabel: label,
      provider: credit.provider,
      note: credit.note,
      origin: credit.origin,
      flags: verdict.flags,
      flagText: creditFlagText(c.rules, verdict, credit.units, c.window, c.row.earned_on),
      evidence: evidence.get(credit.id) ?? [],
    };
  }

  function suggestion(c: Computed, now: number): StudySuggestion | null {
    const deckIds = selectLinked.all(c.row.id).map((r) => r.deck_id);
    const category = c.rules.body.studyCategory;
    if (category === null || c.status.status === 'lifetime') return null;
    const from = Math.max(c.row.study_cut ?? 0, localInstant(c.row.cycle_start));
    // Mock exams for this certification count too (exams/), with or without linked decks.
    const exams = examPracticeMs(db, c.row.id, from, now) > 0;
    if (!deckIds.length && !exams) return null;
    const where = deckIds.length ? (exams ? 'linked decks and mock exams' : 'linked decks') : 'mock exams';
    const days = studyDays(db, c.row.id, from, now);
    const units = days.reduce((sum, d) => sum + d.units, 0);
    if (units <= 0) return null;
    const label = c.rules.body.categories.find((cat) => cat.id === category)?.label ?? category;
    const unit = units === 1 ? c.rules.body.unit.singular : c.rules.body.unit.plural;
    return {
      from,
      until: now,
      units,
      days,
      category,
      categoryLabel: label,
      text: `You studied ${formatUnits(units)} ${units === 1 ? 'hour' : 'hours'} in ${where} since ${longDate(localDate(from))}: log ${formatUnits(units)} ${unit} as ${label}?`,
    };
  }

  function detail(id: number): CertDetail {
    const snap = snapshot();
    const computed = snap.rows.map((r) => compute(snap, r));
    const c = computed.find((x) => x.row.id === id);
    if (!c) throw new AppError('not_found', 'That certification no longer exists.');
    const abbreviations = new Map(snap.rows.map((r) => [r.id, abbreviationOf(r)]));
    const isCustom = c.row.catalog_id === CUSTOM_ID;
    const deckById = new Map(decks.list().map((d) => [d.id, d.path]));
    const combined = c.rules.body.combinedRenewal ? combinedFor(snap, computed, c.rules.body.id) : null;
    const entry: CatalogEntry = c.rules.entry;
    const evidenceByCredit = evidence.byCredit();
    const now = ctx.clock.now();
    return {
      ...summary(c),
      catalog: {
        custom: isCustom,
        expires: entry.expires,
        validityYears: entry.validityYears,
        grace: entry.grace,
        graceText: isCustom ? '' : graceText(entry),
        notes: isCustom ? [] : [...entry.notes, ...c.rules.body.notes],
        sources: isCustom ? [] : [...new Set([...entry.source, ...c.rules.body.source])].map((url) => ({ url, label: catalog.sourceLabel(url) })),
        disputes: isCustom ? [] : entry.disputes,
        lastVerified: isCustom ? null : entry.lastVerified,
        bodyWebsite: isCustom ? null : c.rules.body.website,
        categories: c.rules.body.categories,
        dailyCap: c.rules.body.dailyCap?.max ?? null,
        dailyCapCategories: c.rules.body.dailyCap?.categories ?? [],
      },
      credits: [...c.pool].reverse().map((credit) => creditView(c, credit, abbreviations, evidenceByCredit)),
      linkedDecks: selectLinked
        .all(id)
        .map((r) => ({ id: r.deck_id, path: deckById.get(r.deck_id) ?? '' }))
        .sort((a, b) => a.path.localeCompare(b.path)),
      studySuggestion: suggestion(c, ctx.clock.now()),
      reminderRules: c.reminderRules,
      reminderRulesAreDefault: c.row.reminder_rules === null,
      upcomingReminders: certificationReminders([reminderItem(c)], now)
        .filter((r) => r.dueAt >= now)
        .sort((a, b) => a.dueAt - b.dueAt)
        .map((r) => ({ date: localDate(r.dueAt), title: r.title })),
      studyLoggedUntil: c.row.study_cut,
      combined: combined && combined.members.some((m) => m.row.id === id) ? combined.renewal : null,
    };
  }

  /** What the reminder engine needs to know about one certification. */
  function reminderItem(c: Computed): CertReminderItem {
    const row = c.row;
    return {
        id: row.id,
        abbreviation: c.rules.entry.abbreviation + (row.label ? ` (${row.label})` : ''),
        status: c.status.status,
        cycleStart: row.cycle_start,
        expiresOn: c.dates.expiresOn,
        graceEndsOn: c.dates.graceEndsOn,
        graceKind: c.rules.entry.grace?.kind ?? null,
        rules: c.reminderRules,
        required: c.progress?.required ?? null,
        counted: c.progress?.counted ?? 0,
        unitPlural: c.rules.body.unit.plural,
        shortfallText: c.shortfall,
      };
  }

  /** What the reminder source needs, for every certification. */
  function reminderItems(now: number): CertReminderItem[] {
    const snap = snapshot(now);
    return snap.rows.map((row) => reminderItem(compute(snap, row)));
  }

  return {
    catalog,
    rulesFor,
    snapshot,
    compute,
    list,
    detail,
    requireRow,
    combinedFor,
    reminderItems,
    credit: (id: number) => selectCredit.get(id),
    poolOf,
    evidence,
    dayCount,
  };
}
export type CertService = ReturnType<typeof makeCertService>;

const services = new WeakMap<CoreContext, CertService>();

/** The service of an opened collection (built on first use, statements prepared once). */
export function certService(ctx: CoreContext): CertService {
  let s = services.get(ctx);
  if (!s) {
    s = makeCertService(ctx);
    services.set(ctx, s);
  }
  return s;
}
