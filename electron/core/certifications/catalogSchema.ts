// Schema of assets/certifications.json: the entry shapes come from the contract (the renderer reads the
// same shapes); this file adds the rules that tie entries to their bodies so a data mistake fails the
// schema test instead of showing wrong renewal advice.
import { z } from 'zod';
import { bodySchema, catalogEntrySchema, type CatalogEntry, type CertBody } from '../../../shared/contract/certifications';

function checkEntry(entry: CatalogEntry, body: CertBody | undefined, addIssue: (message: string) => void): void {
  const at = `certification "${entry.id}"`;
  if (!body) {
    addIssue(`${at}: body "${entry.body}" is not in the bodies list`);
    return;
  }
  if (entry.expires === true) {
    if (entry.validityYears === null) addIssue(`${at}: expires, so it needs validityYears`);
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
  if (isScrumAlliance && entry.expires && !entry.scrumAlliance) addIssue(`${at}: needs its scrumAlliance track and level`);
  if (!isScrumAlliance && entry.scrumAlliance) addIssue(`${at}: only Scrum Alliance entries have a scrumAlliance role`);
  if (entry.expires && (entry.creditsRequired ?? 0) > 0 && body.categories.length === 0) {
    addIssue(`${at}: needs credits but ${body.name} has no credit categories`);
  }
}

export const catalogFileSchema = z
  .object({
    about: z.string(),
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
