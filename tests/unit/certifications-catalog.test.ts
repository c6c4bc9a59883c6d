import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogFileSchema } from '../../electron/core/certifications/catalogSchema';
import { ASSETS_DIR } from './testCore';

const raw = JSON.parse(fs.readFileSync(path.join(ASSETS_DIR, 'certifications.json'), 'utf8'));
const catalog = catalogFileSchema.parse(raw);
const entry = (id: string) => catalog.certifications.find((e) => e.id === id)!;

describe('certification catalog (assets/certifications.json)', () => {
  it('passes its schema, and every entry cites a source; no entry claims a live check it did not have', () => {
    for (const e of [...catalog.bodies, ...catalog.certifications]) {
      expect(e.source.length).toBeGreaterThan(0);
      // The rules were read from stored copies; "last verified" is reserved for a check of the live page.
      expect(e.lastVerified).toBeNull();
    }
  });

  it('holds the Scrum Alliance table: 20/30/40 SEUs, add-ons 10/15/20, $100/$175/$250', () => {
    const rows = ['sa-csm', 'sa-cspo', 'sa-csd', 'sa-a-csm', 'sa-a-cspo', 'sa-a-csd', 'sa-csp-sm', 'sa-csp-po', 'sa-csp-d', 'sa-csp'].map((id) => {
      const e = entry(id);
      return [e.abbreviation, e.validityYears, e.creditsRequired, e.scrumAlliance?.addOnCredits, e.feeUsd];
    });
    expect(rows).toEqual([
      ['CSM', 2, 20, 10, 100],
      ['CSPO', 2, 20, 10, 100],
      ['CSD', 2, 20, 10, 100],
      ['A-CSM', 2, 30, 15, 175],
      ['A-CSPO', 2, 30, 15, 175],
      ['A-CSD', 2, 30, 15, 175],
      ['CSP-SM', 2, 40, 20, 250],
      ['CSP-PO', 2, 40, 20, 250],
      ['CSP-D', 2, 40, 20, 250],
      ['CSP', 2, 40, 20, 250],
    ]);
    // Certified Agile Leadership: CAL-E/T/O 10 SEUs and $50, CAL II 40 and $250; CAL 1 and CAL 2 not confirmed.
    expect([entry('sa-cal').creditsRequired, entry('sa-cal').feeUsd, entry('sa-cal-ii').creditsRequired, entry('sa-cal-ii').feeUsd]).toEqual([10, 50, 40, 250]);
    expect(entry('sa-cal-1-2')).toMatchObject({ expires: null, creditsRequired: null, feeUsd: null });
    const body = catalog.bodies.find((b) => b.id === 'scrum-alliance')!;
    expect(body.dailyCap).toEqual({ max: 8, categories: ['events'] });
    expect(body.categories.map((c) => c.id)).toEqual(['learning', 'events', 'volunteering', 'other']);
  });

  it('confirms a grace period only for the CSP (90 days)', () => {
    const withGrace = catalog.certifications.filter((e) => e.body === 'scrum-alliance' && e.grace?.duration);
    expect(withGrace.map((e) => [e.id, e.grace?.duration])).toEqual([['sa-csp', { unit: 'days', amount: 90 }]]);
  });

  it('holds the PMI rules: 60/30/15 PDUs over 3 years, Talent Triangle minimums, Giving Back caps, 1-year suspension', () => {
    const pmp = entry('pmp');
    expect([pmp.validityYears, pmp.creditsRequired]).toEqual([3, 60]);
    expect(pmp.minimums.map((m) => [m.label, m.min])).toEqual([
      ['Education', 35],
      ['Ways of Working', 8],
      ['Power Skills', 8],
      ['Business Acumen', 8],
    ]);
    expect(pmp.caps.map((c) => [c.label, c.max])).toEqual([
      ['Giving Back', 25],
      ['Working as a practitioner', 8],
    ]);
    expect(entry('pgmp').creditsRequired).toBe(60);
    expect(entry('pmi-pba').creditsRequired).toBe(60);
    expect(entry('pmi-acp').creditsRequired).toBe(30);
    expect(entry('capm').creditsRequired).toBe(15);
    expect(pmp.grace).toMatchObject({ kind: 'suspension', duration: { unit: 'years', amount: 1 } });
    expect(pmp.feeUsd).toBeNull();
  });

  it('keeps unknowns null: SAFe fee and disputed rules, Pragmatic renewal, assumed lifetimes; lifetime only where sourced', () => {
    expect(entry('safe-ssm')).toMatchObject({ validityYears: null, feeUsd: null, creditsRequired: null });
    expect(entry('safe-popm')).toMatchObject({ validityYears: 1, feeUsd: null, creditsRequired: null });
    expect(entry('pragmatic-pmc')).toMatchObject({ expires: null, validityYears: null, creditsRequired: null, feeUsd: null });
    for (const id of ['psm-1', 'pspo-1', 'icagile']) expect(entry(id)).toMatchObject({ expires: false, feeUsd: 0, creditsRequired: 0 });
    for (const id of ['psm-2', 'psm-3', 'pspo-2', 'pspo-3', 'pal-1', 'google-pm']) expect(entry(id)).toMatchObject({ expires: null, feeUsd: null });
  });

  it('refuses catalog data that contradicts itself', () => {
    const broken = structuredClone(raw);
    broken.certifications.find((e: { id: string }) => e.id === 'psm-1').feeUsd = 150;
    broken.certifications.find((e: { id: string }) => e.id === 'pmp').minimums[0].categories = ['leadership'];
    const result = catalogFileSchema.safeParse(broken);
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => i.message).join('\n');
    expect(messages).toContain('certification "psm-1": a lifetime certification needs creditsRequired 0 and feeUsd 0');
    expect(messages).toContain('"Education" names category "leadership"');
  });
});
