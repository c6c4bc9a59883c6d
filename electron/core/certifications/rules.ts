// Renewal rules as pure functions of (catalog rules, the user's certification, its credits, today).
// No database, no clock: every date comes in as a 'YYYY-MM-DD' calendar date.
import type {
  CatalogEntry,
  CertBody,
  CreditCap,
  CertStatus,
  CombinedRenewal,
  DailyCap,
  Grace,
  Progress,
  RequirementLine,
} from '../../../shared/contract/certifications';
import { daysBetween, formatUnits, longDate, maxDate, plusDays, plusMonths, plusYears } from './dates';

/** Renewal due soon from this many days before the expiry (the first default reminder). */
export const DUE_SOON_DAYS = 90;
/** Dates beyond this are refused: a typo, not a plan. */
export const LATEST_YEAR = 2100;
const FOREVER = '9999-12-31';

export interface Rules {
  body: CertBody;
  entry: CatalogEntry;
}

export interface CreditRecord {
  id: number;
  certificationId: number;
  /** The day it was completed. */
  date: string;
  /** Its first day when it took several; null: one day. */
  startedOn: string | null;
  units: number;
  category: string;
  usedAt: number | null;
}

export type CreditFlag = 'outside_window' | 'before_earned' | 'over_daily_cap' | 'over_cap' | 'used';

export interface CreditVerdict {
  counted: number;
  /** What counted before the entry's category caps cut it (caps show what was logged against them). */
  logged: number;
  flags: CreditFlag[];
  /** The cap that cut it (flag over_cap). */
  cap?: CreditCap;
}

/** What evaluateCredits needs beyond the window: when the certification was earned, and the entry's caps. */
export interface CreditContext {
  /** Credits completed before this date count nothing: the certification did not exist yet. */
  earnedOn?: string;
  /** Category caps (PMI: <= 8 "working as a practitioner" inside <= 25 Giving Back). */
  caps?: readonly CreditCap[];
}

export interface CertDates {
  expiresOn: string | null;
  computedExpiresOn: string | null;
  /** End of the grace/suspension period; null when there is none or its length is not confirmed. */
  graceEndsOn: string | null;
}

export function unitWord(body: CertBody, n: number): string {
  return n === 1 ? body.unit.singular : body.unit.plural;
}

export function feeText(fee: number | null): string {
  if (fee === null) return 'fee not confirmed';
  if (fee === 0) return 'no fee';
  return `$${formatUnits(fee)} fee`;
}

export function computedExpiry(entry: CatalogEntry, cycleStart: string): string | null {
  return entry.expires === true && entry.validityYears !== null ? plusYears(cycleStart, entry.validityYears) : null;
}

export function graceEnd(grace: Grace | null, expiresOn: string): string | null {
  if (!grace?.duration) return null;
  const { unit, amount } = grace.duration;
  return unit === 'days' ? plusDays(expiresOn, amount) : plusYears(expiresOn, amount);
}

export function certDates(rules: Rules, cycleStart: string, expiresOverride: string | null): CertDates {
  const computedExpiresOn = computedExpiry(rules.entry, cycleStart);
  const expiresOn = rules.entry.expires === false ? null : (expiresOverride ?? computedExpiresOn);
  return { expiresOn, computedExpiresOn, graceEndsOn: expiresOn ? graceEnd(rules.entry.grace, expiresOn) : null };
}

export function graceText(entry: CatalogEntry): string {
  const grace = entry.grace;
  if (!grace) return entry.expires === false ? 'Does not expire.' : 'Not confirmed.';
  const name = grace.kind === 'suspension' ? 'Suspension' : 'Grace period';
  const length = grace.duration
    ? `${grace.duration.amount} ${grace.duration.unit === 'days' ? 'days' : grace.duration.amount === 1 ? 'year' : 'years'}`
    : 'not confirmed';
  return `${name} after expiry: ${length}.${grace.note ? ` ${grace.note}` : ''}`;
}

export function certStatus(today: string, rules: Rules, dates: CertDates): { status: CertStatus; text: string; daysLeft: number | null } {
  if (rules.entry.expires === false) return { status: 'lifetime', text: 'Does not expire', daysLeft: null };
  if (!dates.expiresOn) return { status: 'unknown', text: 'Expiry not confirmed: enter the date from your certificate if it has one', daysLeft: null };
  const daysLeft = daysBetween(today, dates.expiresOn);
  if (daysLeft > DUE_SOON_DAYS) return { status: 'active', text: `Active until ${longDate(dates.expiresOn)}`, daysLeft };
  if (daysLeft > 0) {
    return { status: 'due_soon', text: `Renewal due in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} (${longDate(dates.expiresOn)})`, daysLeft };
  }
  if (daysLeft === 0) return { status: 'due_soon', text: 'Expires today', daysLeft };
  const grace = rules.entry.grace;
  if (dates.graceEndsOn && today <= dates.graceEndsOn) {
    const what = grace?.kind === 'suspension' ? 'Suspended' : 'In grace period';
    return { status: 'grace', text: `${what} until ${longDate(dates.graceEndsOn)} (expired ${longDate(dates.expiresOn)})`, daysLeft };
  }
  const graceNote = grace && !grace.duration ? `; a grace period is not confirmed` : '';
  return { status: 'expired', text: `Expired on ${longDate(dates.expiresOn)}${graceNote}`, daysLeft };
}

/** Dates whose credits count for the current renewal. */
export function creditWindow(rules: Rules, cycleStart: string, dates: CertDates): { from: string; to: string } {
  if (!dates.expiresOn) return { from: cycleStart, to: FOREVER };
  const { monthsBeforeExpiry, includesGrace } = rules.body.creditWindow;
  const from = monthsBeforeExpiry === null ? cycleStart : plusMonths(dates.expiresOn, -monthsBeforeExpiry);
  const to = includesGrace && dates.graceEndsOn ? dates.graceEndsOn : dates.expiresOn;
  return { from, to };
}

/**
 * Which dates count, in words, with the reason wherever the window and the dates on screen differ: a
 * window that runs past the expiry (PMI: credits earned while suspended still count) or starts before
 * the certification was earned (Scrum Alliance counts back from the expiry).
 */
export function windowText(rules: Rules, window: { from: string; to: string }, dates: CertDates, earnedOn: string): string {
  const unit = rules.body.unit.plural;
  if (window.to === FOREVER) return `${unit} count from ${longDate(maxDate(window.from, earnedOn))}.`;
  const from = maxDate(window.from, earnedOn);
  const parts = [`${unit} count when completed from ${longDate(from)} to ${longDate(window.to)}.`];
  if (dates.expiresOn && window.to > dates.expiresOn) {
    const what = rules.entry.grace?.kind === 'suspension' ? 'suspension' : 'grace period';
    parts.push(
      `That runs past the expiry on ${longDate(dates.expiresOn)} to the end of the ${what} that follows it, because ${rules.body.name} counts ${unit} earned during it.`,
    );
  }
  if (window.from < earnedOn && rules.body.creditWindow.monthsBeforeExpiry !== null) {
    parts.push(
      `${rules.body.name} counts back ${rules.body.creditWindow.monthsBeforeExpiry} months from the expiry, but nothing before you earned ${rules.entry.abbreviation} on ${longDate(earnedOn)} counts for it.`,
    );
  }
  return parts.join(' ');
}

/** Every calendar day of an entry, first to last. */
function daysOf(c: CreditRecord): string[] {
  if (!c.startedOn || c.startedOn >= c.date) return [c.date];
  const out: string[] = [];
  for (let d = c.startedOn; d <= c.date; d = plusDays(d, 1)) out.push(d);
  return out;
}

/** Days an entry spans (1 for a one-day entry). */
export function dayCount(startedOn: string | null, date: string): number {
  return startedOn && startedOn < date ? daysBetween(startedOn, date) + 1 : 1;
}

/**
 * Caps cut entries, earliest first kept: within each cap's categories (innermost caps first), once the
 * counted units pass its maximum, later entries count only what is left.
 */
function applyCaps(sorted: readonly CreditRecord[], verdicts: Map<number, CreditVerdict>, caps: readonly CreditCap[]): void {
  // A cap resting on one secondary source is shown but cuts nothing (it may not exist).
  const inner = caps.filter((cap) => cap.confirmed).sort((a, b) => a.categories.length - b.categories.length);
  for (const cap of inner) {
    let total = 0;
    for (const c of sorted) {
      const v = verdicts.get(c.id)!;
      if (!cap.categories.includes(c.category) || v.counted <= 0) continue;
      const allowed = Math.max(0, Math.min(v.counted, cap.max - total));
      total += allowed;
      if (allowed < v.counted) {
        v.counted = allowed;
        if (!v.flags.includes('over_cap')) v.flags.push('over_cap');
        v.cap ??= cap;
      }
    }
  }
}

/**
 * Which credits count: entries used for an earlier renewal or dated outside the window count nothing,
 * and beyond the body's daily cap only the first units of a day count (earliest entries first). The cap
 * covers only the categories its sources state it for (Scrum Alliance: events), summed per day.
 */
export function evaluateCredits(
  credits: readonly CreditRecord[],
  window: { from: string; to: string },
  dailyCap: DailyCap | null,
  context: CreditContext = {},
): Map<number, CreditVerdict> {
  const sorted = [...credits].sort((a, b) => (a.date === b.date ? a.id - b.id : a.date < b.date ? -1 : 1));
  const perDay = new Map<string, number>();
  const verdicts = new Map<number, CreditVerdict>();
  for (const c of sorted) {
    if (c.usedAt !== null) {
      verdicts.set(c.id, { counted: 0, logged: 0, flags: ['used'] });
      continue;
    }
    if (c.date < window.from || c.date > window.to) {
      verdicts.set(c.id, { counted: 0, logged: 0, flags: ['outside_window'] });
      continue;
    }
    if (context.earnedOn && c.date < context.earnedOn) {
      verdicts.set(c.id, { counted: 0, logged: 0, flags: ['before_earned'] });
      continue;
    }
    let counted = c.units;
    const flags: CreditFlag[] = [];
    if (dailyCap !== null && dailyCap.categories.includes(c.category)) {
      // An entry over several days spreads its units evenly over them; each day's cap holds as for one-day entries.
      const days = daysOf(c);
      counted = 0;
      for (const day of days) {
        const before = perDay.get(day) ?? 0;
        const take = Math.max(0, Math.min(c.units / days.length, dailyCap.max - before));
        perDay.set(day, before + take);
        counted += take;
      }
      counted = Math.round(counted * 100) / 100;
      if (counted < c.units) flags.push('over_daily_cap');
    }
    verdicts.set(c.id, { counted, logged: counted, flags });
  }
  if (context.caps?.length) applyCaps(sorted, verdicts, context.caps);
  return verdicts;
}

export function creditFlagText(
  rules: Rules,
  verdict: CreditVerdict,
  units: number,
  window: { from: string; to: string },
  earnedOn: string,
): string | null {
  const body = rules.body;
  if (verdict.flags.includes('used')) return 'Used for an earlier renewal; it does not count again.';
  if (verdict.flags.includes('before_earned')) {
    return `Completed before you earned ${rules.entry.abbreviation} (${longDate(earnedOn)}); it does not count for its renewal.`;
  }
  if (verdict.flags.includes('outside_window')) {
    const range = window.to === FOREVER ? `from ${longDate(window.from)}` : `${longDate(window.from)} to ${longDate(window.to)}`;
    return `Dated outside this renewal's window (${range}); it does not count.`;
  }
  const lost = formatUnits(units - verdict.counted);
  if (verdict.flags.includes('over_cap') && verdict.cap) {
    return `At most ${formatUnits(verdict.cap.max)} ${body.unit.plural} of ${verdict.cap.label} count per renewal; ${lost} of these do not count.`;
  }
  if (verdict.flags.includes('over_daily_cap')) {
    return `At most ${formatUnits(body.dailyCap?.max ?? 0)} ${body.unit.plural} count per day for ${dailyCapWhat(body)}; ${lost} of these do not count.`;
  }
  return null;
}

/** The categories a daily cap covers, in words ("Events"). */
export function dailyCapWhat(body: CertBody): string {
  const labels = (body.dailyCap?.categories ?? []).map((id) => body.categories.find((c) => c.id === id)?.label ?? id);
  return labels.join(' and ');
}

/** Units per category: what counts (`counted`), or what was logged before category caps cut it (`logged`). */
export function sumByCategory(credits: readonly CreditRecord[], verdicts: Map<number, CreditVerdict>, which: 'counted' | 'logged' = 'counted'): Map<string, number> {
  const sums = new Map<string, number>();
  for (const c of credits) {
    const value = verdicts.get(c.id)?.[which] ?? 0;
    if (value > 0) sums.set(c.category, (sums.get(c.category) ?? 0) + value);
  }
  return sums;
}

function sumOf(categories: readonly string[], values: Map<string, number>): number {
  return categories.reduce((sum, c) => sum + (values.get(c) ?? 0), 0);
}

/**
 * Checks counted units against the entry's total, minimums and caps. Caps apply innermost first
 * (PMI: "working as a practitioner" <= 8 inside Giving Back <= 25); what a cap cuts does not count.
 */
export function evaluateRequirement(
  rules: Rules,
  byCategory: Map<string, number>,
  window: { from: string; to: string; text?: string },
  loggedByCategory: Map<string, number> = byCategory,
): Progress {
  const { entry, body } = rules;
  const effective = new Map(byCategory);
  // A cap resting on one secondary source is shown but cuts nothing (it may not exist).
  const caps = entry.caps.filter((c) => c.confirmed).sort((a, b) => a.categories.length - b.categories.length);
  for (const cap of caps) {
    let excess = sumOf(cap.categories, effective) - cap.max;
    for (const c of cap.categories) {
      if (excess <= 0) break;
      const cut = Math.min(effective.get(c) ?? 0, excess);
      effective.set(c, (effective.get(c) ?? 0) - cut);
      excess -= cut;
    }
  }
  const counted = [...effective.values()].reduce((a, b) => a + b, 0);
  const required = entry.creditsRequired;
  const lines: RequirementLine[] = [];
  const reasons: string[] = [];

  if (required !== null) {
    const met = counted >= required;
    lines.push({ kind: 'total', label: 'Total', value: counted, target: required, met, text: `${formatUnits(counted)} of ${formatUnits(required)} ${body.unit.plural}` });
    if (!met) {
      const short = required - counted;
      reasons.push(`${formatUnits(counted)} of the ${formatUnits(required)} ${body.unit.plural} needed count so far (${formatUnits(short)} more).`);
    }
  }
  for (const min of entry.minimums) {
    const value = sumOf(min.categories, effective);
    const met = value >= min.min;
    const label = min.confirmed ? min.label : `${min.label} (not confirmed)`;
    lines.push({ kind: 'minimum', label, value, target: min.min, met, text: `${formatUnits(value)} of at least ${formatUnits(min.min)}` });
    // An unconfirmed minimum is shown for guidance but never keeps a renewal back.
    if (!met && min.confirmed) {
      reasons.push(`${min.label}: ${formatUnits(value)} of the at least ${formatUnits(min.min)} ${body.unit.plural} needed (${formatUnits(min.min - value)} more).`);
    }
  }
  for (const cap of entry.caps) {
    const logged = sumOf(cap.categories, loggedByCategory);
    const within = logged <= cap.max || !cap.confirmed;
    lines.push({
      kind: 'cap',
      label: cap.confirmed ? cap.label : `${cap.label} (not confirmed)`,
      value: logged,
      target: cap.max,
      met: within,
      text: !cap.confirmed && logged > cap.max
        ? `${formatUnits(logged)} logged; a secondary source says at most ${formatUnits(cap.max)} count`
        : within
          ? `${formatUnits(logged)} of at most ${formatUnits(cap.max)}`
          : `${formatUnits(logged)} logged; only ${formatUnits(cap.max)} count`,
    });
  }
  return {
    required,
    counted,
    lines,
    renewable: required === null ? null : reasons.length === 0,
    reasons,
    windowFrom: window.from,
    windowTo: window.to,
    windowText: window.text ?? '',
  };
}

/** The deadline the shortfall refers to: the expiry, or the end of a grace period already running. */
export function renewalDeadline(today: string, dates: CertDates): string | null {
  if (!dates.expiresOn) return null;
  if (today <= dates.expiresOn) return dates.expiresOn;
  if (dates.graceEndsOn && today <= dates.graceEndsOn) return dates.graceEndsOn;
  return null;
}

/** "12 more SEUs by 3 March 2027; $100 fee" */
export function shortfallText(rules: Rules, progress: Progress | null, deadline: string | null, fee: number | null): string | null {
  if (!deadline) return null;
  const body = rules.body;
  const by = longDate(deadline);
  if (!progress) return `Renew by ${by}; ${feeText(fee)}`;
  if (progress.required === null) {
    const disputed = rules.entry.disputes.some((d) => d.rule === 'creditsRequired');
    return `Renewal requirements ${disputed ? 'disputed: sources disagree' : 'not confirmed'}; expires ${by}`;
  }
  if (progress.renewable) return `Requirements met; renew by ${by}; ${feeText(fee)}`;
  const totalShort = Math.max(0, progress.required - progress.counted);
  const minimums = progress.lines
    .filter((l) => l.kind === 'minimum' && !l.met)
    .map((l) => `${formatUnits(l.target - l.value)} more in ${l.label}`);
  const main = totalShort > 0 ? `${formatUnits(totalShort)} more ${unitWord(body, totalShort)}` : '';
  const text = main
    ? `${main} by ${by}${minimums.length ? `, including ${minimums.join(' and ')}` : ''}`
    : `${minimums.join(' and ')} by ${by}`;
  return `${text}; ${feeText(fee)}`;
}

/** Behind when fewer units count than an even pace through the cycle would give by today. */
export function paceBehind(today: string, cycleStart: string, expiresOn: string, required: number, counted: number): { behind: boolean; expected: number } {
  const total = daysBetween(cycleStart, expiresOn);
  const elapsed = daysBetween(cycleStart, today);
  if (total <= 0 || elapsed < 0 || today > expiresOn) return { behind: false, expected: 0 };
  const expected = (required * elapsed) / total;
  // A quarter of the cycle in before nagging: nobody logs credits in their first weeks.
  const behind = elapsed / total >= 0.25 && counted < required && counted + 1e-9 < expected;
  return { behind, expected };
}

// ---------------------------------------------------------------------------------------------
// Scrum Alliance: one renewal covers every certification the user holds.

export interface ScrumAllianceHolding {
  id: number;
  abbreviation: string;
  entry: CatalogEntry;
  expiresOn: string;
}

export interface CombinedPlan {
  creditsRequired: number;
  feeUsd: number | null;
  dueOn: string;
  roles: { id: number; abbreviation: string; role: string }[];
}

const TRACK_ORDER = { general: 0, sm: 1, po: 2, dev: 3 } as const;

/**
 * The highest-level certification pays its fee and needs its full SEUs; the highest in each other
 * track adds its add-on SEUs; lower levels in a track renew with the highest of that track.
 */
export function scrumAlliancePlan(holdings: readonly ScrumAllianceHolding[], unit: string): CombinedPlan | null {
  const held = holdings.filter((h) => h.entry.scrumAlliance !== null);
  if (held.length === 0) return null;
  const rank = (h: ScrumAllianceHolding) => h.entry.scrumAlliance!.level;
  const sorted = [...held].sort((a, b) => rank(b) - rank(a) || TRACK_ORDER[a.entry.scrumAlliance!.track] - TRACK_ORDER[b.entry.scrumAlliance!.track]);
  const primary = sorted[0]!;
  const topOfTrack = new Map<string, ScrumAllianceHolding>();
  for (const h of sorted) {
    const track = h.entry.scrumAlliance!.track;
    if (!topOfTrack.has(track)) topOfTrack.set(track, h);
  }
  let creditsRequired = primary.entry.creditsRequired ?? 0;
  const roles: CombinedPlan['roles'] = [];
  for (const h of sorted) {
    const top = topOfTrack.get(h.entry.scrumAlliance!.track)!;
    if (h === primary) {
      roles.push({ id: h.id, abbreviation: h.abbreviation, role: `highest: ${formatUnits(h.entry.creditsRequired ?? 0)} ${unit}, pays the ${feeText(h.entry.feeUsd)}` });
    } else if (h === top) {
      creditsRequired += h.entry.scrumAlliance!.addOnCredits;
      roles.push({ id: h.id, abbreviation: h.abbreviation, role: `adds ${formatUnits(h.entry.scrumAlliance!.addOnCredits)} ${unit}` });
    } else {
      roles.push({ id: h.id, abbreviation: h.abbreviation, role: `renews with ${top.abbreviation}` });
    }
  }
  const dueOn = held.map((h) => h.expiresOn).reduce((a, b) => (a < b ? a : b));
  return { creditsRequired, feeUsd: primary.entry.feeUsd, dueOn, roles };
}

export function combinedRenewal(body: CertBody, plan: CombinedPlan, counted: number): CombinedRenewal {
  const renewable = counted >= plan.creditsRequired;
  const names = plan.roles.map((r) => r.abbreviation).join(' + ');
  const short = plan.creditsRequired - counted;
  const need = `${formatUnits(plan.creditsRequired)} ${body.unit.plural} and one ${feeText(plan.feeUsd)} by ${longDate(plan.dueOn)}`;
  const text = renewable
    ? `${names}: ${need}; requirements met`
    : `${names}: ${need}; ${formatUnits(short)} more ${unitWord(body, short)} needed`;
  return {
    bodyName: body.name,
    certifications: plan.roles,
    creditsRequired: plan.creditsRequired,
    feeUsd: plan.feeUsd,
    dueOn: plan.dueOn,
    counted,
    renewable,
    text,
  };
}

/** The window of a combined renewal: the body's window before the first expiry. */
export function combinedWindow(body: CertBody, dueOn: string): { from: string; to: string } {
  const months = body.creditWindow.monthsBeforeExpiry;
  return { from: months === null ? '0000-01-01' : plusMonths(dueOn, -months), to: dueOn };
}
