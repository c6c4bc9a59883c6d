// The content test: the starter decks and the certification catalog say only what their sources
// support, every card shows its source, and no card gives its answer away. Each check also runs on a
// crafted bad example, so a check that stopped working would fail here too.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogFileSchema, provenanceProblems } from '../../electron/core/certifications/catalogSchema';
import { starterDeckSchema } from '../../electron/core/flashcards/starterDeckSchema';
import { clozeGiveAways, clozeOrderProblem, reversedGiveAway } from './contentChecks';
import { ASSETS_DIR } from './testCore';

const deckDir = path.join(ASSETS_DIR, 'decks');
const rawDecks = fs
  .readdirSync(deckDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(fs.readFileSync(path.join(deckDir, f), 'utf8')) as { id: string; notes: Record<string, unknown>[] });
const decks = rawDecks.map((d) => starterDeckSchema.parse(d));
const notes = decks.flatMap((d) => d.notes);
const rawCatalog = JSON.parse(fs.readFileSync(path.join(ASSETS_DIR, 'certifications.json'), 'utf8'));
const catalog = catalogFileSchema.parse(rawCatalog);

describe('certification catalog provenance', () => {
  it('backs every value with a source, and states nothing the sources only assume or dispute', () => {
    expect(provenanceProblems(catalog)).toEqual([]);
  });

  it('catches a value without a source', () => {
    const broken = structuredClone(rawCatalog);
    delete broken.certifications.find((e: { id: string }) => e.id === 'sa-csm').evidence.feeUsd;
    expect(provenanceProblems(catalogFileSchema.parse(broken))).toEqual(['certification "sa-csm": feeUsd has a value but no evidence']);
  });

  it('catches an expiry or fee the source marks as assumed', () => {
    const broken = structuredClone(rawCatalog);
    Object.assign(broken.certifications.find((e: { id: string }) => e.id === 'psm-2'), { expires: false, creditsRequired: 0, feeUsd: 0 });
    expect(provenanceProblems(catalogFileSchema.parse(broken))).toEqual([
      'certification "psm-2": expires is only assumed, so it must be null ("not confirmed")',
      'certification "psm-2": its notes call the rule assumed, so expires and feeUsd must be null ("not confirmed")',
    ]);
  });

  it('catches a value picked where official sources disagree, and a one-source minimum not marked unconfirmed', () => {
    const broken = structuredClone(rawCatalog);
    broken.certifications.find((e: { id: string }) => e.id === 'safe-ssm').creditsRequired = 10;
    broken.certifications.find((e: { id: string }) => e.id === 'capm').minimums[1].confirmed = true;
    expect(provenanceProblems(catalogFileSchema.parse(broken))).toEqual([
      'certification "capm": "Ways of Working" rests on one secondary source, so it must be marked confirmed: false',
      'certification "safe-ssm": sources disagree on creditsRequired, so it must be null',
    ]);
  });

  it('catches a cited page that is not described under sources', () => {
    const broken = structuredClone(rawCatalog);
    broken.certifications.find((e: { id: string }) => e.id === 'pmp').source.push('https://example.com/pdus');
    expect(provenanceProblems(catalogFileSchema.parse(broken))).toEqual(['certification "pmp": https://example.com/pdus is not under "sources"']);
  });
});

describe('starter notes', () => {
  it('every note names its source, in the raw files and after parsing', () => {
    for (const deck of rawDecks) for (const note of deck.notes) expect(typeof note.source === 'string' && note.source.trim().length >= 8, `${deck.id} ${String(note.guid)}`).toBe(true);
    const withoutSource = structuredClone(rawDecks[0]!);
    delete withoutSource.notes[0]!.source;
    expect(starterDeckSchema.safeParse(withoutSource).success).toBe(false);
  });

  it('no reversed note shows its front on its back', () => {
    const found = notes.filter((n) => n.type === 'reversed').map((n) => [n.guid, reversedGiveAway(n.fields.Front, n.fields.Back)]);
    expect(found.filter(([, problem]) => problem !== null)).toEqual([]);
  });

  it('catches reversed backs that spell out or repeat the front', () => {
    expect(reversedGiveAway('SEU', 'Scrum Education Unit: the renewal credit.')).toBe('its back spells out "SEU"');
    expect(reversedGiveAway('Google Analytics', "Google's web and app analytics service")).toBe('its back contains "Google Analytics"');
    expect(reversedGiveAway('Actual cost (AC)', 'The cost actually incurred for the work completed')).toBe('its back contains "Actual cost"');
    expect(reversedGiveAway('Accept (risk response)', 'Acknowledge it; active acceptance sets aside a reserve')).toBe('its back contains "Accept"');
    expect(reversedGiveAway('DAU/MAU ratio', 'Daily active users ÷ monthly active users')).toBe('its back spells out "DAU"');
    expect(reversedGiveAway('Empiricism', 'Learning from experience')).toBeNull();
    expect(reversedGiveAway('Developers (Scrum)', 'The Scrum Team members who build the Increment')).toBeNull();
  });

  it('no cloze shows its answer outside its deletion, and deletions are numbered in reading order', () => {
    const problems = notes
      .filter((n) => n.type === 'cloze')
      .flatMap((n) => [...clozeGiveAways(n.fields.Text), clozeOrderProblem(n.fields.Text)].filter(Boolean).map((p) => `${n.guid}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('catches cloze answers visible elsewhere and deletions out of order', () => {
    expect(clozeGiveAways('In each {{c1::Sprint}} the team works; then the next Sprint begins.')).toEqual(['c1 "Sprint" is visible outside its deletion']);
    expect(clozeGiveAways('{{c1::Transparency}} makes inspection possible. {{c2::Inspection}} makes adaptation possible.')).toEqual([
      'c2 "Inspection" is visible outside its deletion',
    ]);
    expect(clozeGiveAways('Net Promoter Score = % of {{c1::promoters}} minus % of {{c2::detractors}}.')).toEqual(['c1 "promoters" is visible outside its deletion']);
    expect(clozeGiveAways('The {{c1::Product Owner}} orders the {{c2::Product Backlog}}.')).toEqual([]);
    expect(clozeOrderProblem('{{c1::a}} then {{c2::b}} then {{c4::c}} then {{c3::d}}')).toBe('deletions are numbered 1, 2, 4, 3 in reading order');
  });

  it('the Scrum Guide deck carries its CC BY-SA 4.0 attribution in its description and licence', () => {
    const sg = decks.find((d) => d.id === 'scrum-guide-2020')!;
    const attribution = 'Based on The Scrum Guide 2020 © Ken Schwaber and Jeff Sutherland, licensed CC BY-SA 4.0';
    expect(sg.description).toContain(attribution);
    expect(sg.description).toContain('https://creativecommons.org/licenses/by-sa/4.0/');
    expect(sg.licence).toMatchObject({ name: 'CC BY-SA 4.0', url: 'https://creativecommons.org/licenses/by-sa/4.0/' });
    expect(sg.licence!.attribution).toContain(attribution);
  });
});
