// The certification catalog: assets/certifications.json, validated once per assets folder, plus the
// "custom" type whose rules the user supplies.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors';
import type { CatalogEntry, CertBody } from '../../../shared/contract/certifications';
import { catalogFileSchema, type CatalogFile, type CatalogSource } from './catalogSchema';

export const CUSTOM_ID = 'custom';

export interface Catalog {
  file: CatalogFile;
  entry(id: string): CatalogEntry | undefined;
  body(id: string): CertBody | undefined;
  /** Where a source was read, in words: "official page, stored copy of unknown date". */
  sourceLabel(url: string): string;
}

/** The catalog was built from stored copies of pages, never the live ones: each label says so. */
function describeSource(source: CatalogSource | undefined): string {
  if (!source) return 'source';
  const what = source.kind === 'official' ? 'official page' : 'secondary source';
  return source.pageDated ? `${what}, read from a stored copy (the page is dated ${source.pageDated})` : `${what}, read from a stored copy of unknown date`;
}

/** What the user says about a custom certification (stored on its row). */
export interface CustomFields {
  name: string;
  abbreviation: string;
  issuer: string;
  validityYears: number | null;
  creditsRequired: number | null;
  feeUsd: number | null;
  unitName: string;
}

const cache = new Map<string, Catalog>();

export function parseCatalog(json: unknown): CatalogFile {
  const parsed = catalogFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'file'}: ${i.message}`);
    throw new AppError('internal', `The certification catalog is damaged (${issues.join('; ')}). Reinstall Cadence.`);
  }
  return parsed.data;
}

export function loadCatalog(assetsDir: string): Catalog {
  const cached = cache.get(assetsDir);
  if (cached) return cached;
  const file = parseCatalog(JSON.parse(fs.readFileSync(path.join(assetsDir, 'certifications.json'), 'utf8')));
  const entries = new Map(file.certifications.map((e) => [e.id, e]));
  const bodies = new Map(file.bodies.map((b) => [b.id, b]));
  const sources = new Map(file.sources.map((s) => [s.url, s]));
  const catalog: Catalog = {
    file,
    entry: (id) => entries.get(id),
    body: (id) => bodies.get(id),
    sourceLabel: (url) => describeSource(sources.get(url)),
  };
  cache.set(assetsDir, catalog);
  return catalog;
}

/** The body and entry a custom certification behaves as. */
export function customRules(custom: CustomFields): { body: CertBody; entry: CatalogEntry } {
  const plural = custom.unitName;
  const singular = plural.endsWith('s') && plural.length > 1 ? plural.slice(0, -1) : plural;
  const body: CertBody = {
    id: CUSTOM_ID,
    name: custom.issuer || 'Custom',
    website: 'https://localhost',
    unit: { singular, plural, longName: singular },
    categories: [
      { id: 'learning', label: 'Learning', hint: '' },
      { id: 'events', label: 'Events', hint: '' },
      { id: 'other', label: 'Other', hint: '' },
    ],
    studyCategory: 'learning',
    dailyCap: null,
    sharedCreditPool: false,
    creditWindow: { monthsBeforeExpiry: null, includesGrace: false },
    combinedRenewal: null,
    notes: [],
    source: ['https://localhost'],
    evidence: {},
    lastVerified: null,
  };
  const expires = custom.validityYears !== null;
  const entry: CatalogEntry = {
    id: CUSTOM_ID,
    body: CUSTOM_ID,
    name: custom.name,
    abbreviation: custom.abbreviation,
    expires,
    validityYears: custom.validityYears,
    creditsRequired: expires ? (custom.creditsRequired ?? 0) : 0,
    minimums: [],
    caps: [],
    feeUsd: expires ? custom.feeUsd : 0,
    grace: expires ? { kind: 'grace', duration: null, note: '' } : null,
    scrumAlliance: null,
    notes: [],
    source: ['https://localhost'],
    evidence: {},
    disputes: [],
    lastVerified: null,
  };
  return { body, entry };
}
