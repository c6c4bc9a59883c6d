// Schema of assets/certifications.json: the entry shapes come from the contract (the renderer reads the
// same shapes); this file adds the rules that tie entries to their bodies so a data mistake fails the
// schema test instead of showing wrong renewal advice.
import { z } from 'zod';
import { calendarDate } from '../../../shared/contract/define';
import {
  bodySchema,
  catalogEntrySchema,
  type CatalogEntry,
  type CertBody,
  type EntryRule,
  type Evidence,
} from '../../../shared/contract/certifications';

/**
 * One page a rule was read from. Every page was read from a stored copy, not live; `pageDated` is the
 * date the page itself shows (null: none shown), `kind` whether the body itself published it.
 */
const sourceSchema = z
  .object({
    url: z.url(),
    kind: z.enum(['official', 'secondary']),
    pageDated: calendarDate.nullable(),
  })
  .strict();
export type CatalogSource = z.output<typeof sourceSchema>;

function checkEntry(entry: CatalogEntry, body: CertBody | undefined, addIssue: (message: string) => void): void {
  const at = `certification "${entry.id}"`;
  if (!body) {
    addIssue(`${at}: body "${entry.body}" is not in the bodies list`);
    return;
  }
  if (entry.expires === true) {
    if (entry.validityYears === null && !entry.evidence.validityYears?.disputed) addIssue(`${at}: expires, so it needs validityYears (or evidence that sources disagree)`);
    if (entry.grace === null) addIssue(`${at}: expires, so it needs a grace entry (duration null when not confirmed)`);
  } else {
    if (entry.validityYears !== null) addIssue(`${at}: validityYears must be null when it does not expire or expiry is not confirmed`);
    if (entry.grace !== null) addIssue(`${at}: grace must be null when it does not expire or expiry is not confirmed`);
  }
  if (entry.expires === false && (entry.creditsRequired !== 0 || entry.feeUsd !== 0)) {
    addIssue(`${at}: a lifetime certification needs creditsRequired 0 and feeUsd 0`);
  }
  const categories = new Set(body.categories.map((c) => c.id));
  for (const group of [...entry.minimums, ...entry.caps]) {
    for (const c of group.categories) {
      if (!categories.has(c)) addIssue(`${at}: "${group.label}" names category "${c}", which ${body.name} does not have`);
    }
  }
  const isScrumAlliance = body.combinedRenewal === 'scrum-alliance';
  // A Scrum Alliance certification outside the combined renewal (CAL) must say so in its notes.
  if (isScrumAlliance && entry.expires && !entry.scrumAlliance && entry.notes.length === 0) {
    addIssue(`${at}: needs its scrumAlliance track and level, or a note saying why it renews on its own`);
  }
  if (!isScrumAlliance && entry.scrumAlliance) addIssue(`${at}: only Scrum Alliance entries have a scrumAlliance role`);
  if (entry.expires && (entry.creditsRequired ?? 0) > 0 && body.categories.length === 0) {
    addIssue(`${at}: needs credits but ${body.name} has no credit categories`);
  }
}

export const catalogFileSchema = z
  .object({
    about: z.string(),
    sources: z.array(sourceSchema).min(1),
    bodies: z.array(bodySchema).min(1),
    certifications: z.array(catalogEntrySchema).min(1),
  })
  .strict()
  .superRefine((file, ctx) => {
    const addIssue = (message: string) => ctx.addIssue({ code: 'custom', message });
    const bodies = new Map<string, CertBody>();
    for (const body of file.bodies) {
      if (bodies.has(body.id)) addIssue(`body "${body.id}" appears twice`);
      bodies.set(body.id, body);
      const ids = body.categories.map((c) => c.id);
      if (new Set(ids).size !== ids.length) addIssue(`body "${body.id}" repeats a category`);
      if (body.studyCategory !== null && !ids.includes(body.studyCategory)) {
        addIssue(`body "${body.id}": studyCategory "${body.studyCategory}" is not one of its categories`);
      }
    }
    const seen = new Set<string>();
    for (const entry of file.certifications) {
      if (seen.has(entry.id)) addIssue(`certification "${entry.id}" appears twice`);
      if (entry.id === 'custom') addIssue('"custom" is reserved for certifications the user describes');
      seen.add(entry.id);
      checkEntry(entry, bodies.get(entry.body), addIssue);
    }
  });
export type CatalogFile = z.output<typeof catalogFileSchema>;

/** The value each rule of an entry has; null or empty when the catalog does not state it. */
function entryRuleValue(entry: CatalogEntry, rule: EntryRule): unknown {
  switch (rule) {
    case 'grace':
      return entry.grace?.duration ?? null;
    case 'minimums':
      return entry.minimums.length ? entry.minimums : null;
    case 'caps':
      return entry.caps.length ? entry.caps : null;
    case 'addOnCredits':
      return entry.scrumAlliance?.addOnCredits ?? null;
    case 'creditsRequired':
    case 'feeUsd':
      // 0 for a lifetime certification follows from `expires: false`, which has its own evidence.
      return entry.expires === false ? null : entry[rule];
    default:
      return entry[rule];
  }
}

/**
 * Where the catalog states more than its sources support: a value without evidence, evidence citing a
 * page not listed under sources, a value kept although its evidence is assumed or disputed, a dispute
 * without the claims, a minimum or cap resting on one secondary source but not marked unconfirmed.
 * Empty when every value is backed. The content test holds the shipped catalog to it.
 */
export function provenanceProblems(file: CatalogFile): string[] {
  const problems: string[] = [];
  const known = new Map(file.sources.map((s) => [s.url, s]));
  const cited = (at: string, evidence: Evidence, listed: readonly string[]) => {
    for (const url of evidence.source) {
      if (!known.has(url)) problems.push(`${at}: cites ${url}, which is not under "sources"`);
      if (!listed.includes(url)) problems.push(`${at}: cites ${url}, which its "source" lists do not show`);
    }
  };
  for (const body of file.bodies) {
    for (const url of body.source) if (!known.has(url)) problems.push(`body "${body.id}": ${url} is not under "sources"`);
    const rules = { dailyCap: body.dailyCap, creditWindow: body.creditWindow.monthsBeforeExpiry ?? (body.creditWindow.includesGrace || null) };
    for (const [rule, value] of Object.entries(rules)) {
      const evidence = body.evidence[rule as keyof typeof body.evidence];
      if (value !== null && !evidence) problems.push(`body "${body.id}": ${rule} has a value but no evidence`);
      if (evidence) cited(`body "${body.id}" ${rule}`, evidence, body.source);
    }
  }
  const rules: EntryRule[] = ['expires', 'validityYears', 'creditsRequired', 'feeUsd', 'grace', 'minimums', 'caps', 'addOnCredits'];
  const bodySources = new Map(file.bodies.map((b) => [b.id, b.source]));
  for (const entry of file.certifications) {
    const at = `certification "${entry.id}"`;
    // The detail page lists the entry's sources and its body's: evidence must be among them.
    const shown = [...entry.source, ...(bodySources.get(entry.body) ?? [])];
    for (const url of entry.source) if (!known.has(url)) problems.push(`${at}: ${url} is not under "sources"`);
    for (const rule of rules) {
      const value = entryRuleValue(entry, rule);
      const evidence = entry.evidence[rule];
      if (evidence) cited(`${at} ${rule}`, evidence, shown);
      if (value === null || value === undefined) {
        if (evidence?.disputed && !entry.disputes.some((d) => d.rule === rule)) problems.push(`${at}: ${rule} is disputed but no claims are listed`);
        continue;
      }
      if (!evidence) problems.push(`${at}: ${rule} has a value but no evidence`);
      else if (evidence.assumed) problems.push(`${at}: ${rule} is only assumed, so it must be null ("not confirmed")`);
      else if (evidence.disputed) problems.push(`${at}: sources disagree on ${rule}, so it must be null`);
    }
    // A note that calls the lifetime model or a fee an assumption contradicts a stated value.
    const assumedInNotes = entry.notes.some((n) => /\bassum/i.test(n));
    if (assumedInNotes && (entry.expires !== null || entry.feeUsd !== null)) {
      problems.push(`${at}: its notes call the rule assumed, so expires and feeUsd must be null ("not confirmed")`);
    }
    for (const dispute of entry.disputes) {
      if (!entry.evidence[dispute.rule]?.disputed) problems.push(`${at}: lists a dispute on ${dispute.rule} without marking its evidence disputed`);
    }
    const groups = [...entry.minimums.map((m) => ({ ...m, rule: 'minimums' as const })), ...entry.caps.map((c) => ({ ...c, rule: 'caps' as const }))];
    for (const group of groups) {
      const sources = group.source ?? entry.evidence[group.rule]?.source ?? [];
      for (const url of group.source ?? []) {
        if (!entry.evidence[group.rule]?.source.includes(url)) problems.push(`${at}: "${group.label}" cites ${url}, which its ${group.rule} evidence does not`);
      }
      const secondary = sources.filter((u) => known.get(u)?.kind === 'secondary');
      if (group.confirmed && sources.length > 0 && secondary.length === sources.length && sources.length < 2) {
        problems.push(`${at}: "${group.label}" rests on one secondary source, so it must be marked confirmed: false`);
      }
    }
  }
  return problems;
}
