import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const count = (table: string) => (core.ctx.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('bad input gets a clear error and saves nothing', () => {
  it('refuses an expiry before the earned date, a future earned date, and an expiry decades away', async () => {
    core = await makeTestCore();
    expect(await core.fail('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03', expiresOn: '2025-01-01' })).toEqual({
      code: 'invalid_input',
      message: 'The expiry date, 1 January 2025, must be after the earned date (3 March 2025).',
    });
    expect((await core.fail('certs.add', { catalogId: 'sa-cspo', earnedOn: '2026-05-01' })).message).toBe(
      'The earned date, 1 May 2026, is in the future; enter the date you earned it.',
    );
    expect((await core.fail('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03', expiresOn: '2207-03-03' })).message).toBe(
      'The expiry date, 3 March 2207, is too far in the future; check the year.',
    );
    expect((await core.fail('certs.add', { catalogId: 'psm-1', earnedOn: '2025-03-03', expiresOn: '2027-03-03' })).message).toBe(
      'PSM I does not expire, so leave the expiry date empty.',
    );
    expect((await core.fail('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-02-30' })).message).toBe('Earned on is not a real calendar date.');
    expect((await core.fail('certs.add', { catalogId: 'nope', earnedOn: '2025-03-03' })).message).toContain('“nope” is not in the catalog');
    expect((await core.fail('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03', url: 'http://example.com' })).message).toBe(
      'Web address must be an https:// address.',
    );
    expect(count('certifications')).toBe(0);
  });

  it('refuses negative units, more than 24 in a day, unknown categories and future dates', async () => {
    core = await makeTestCore();
    const cspo = await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03' });
    const credit = { certificationId: cspo.id, date: '2026-01-10', units: 2, category: 'learning' };
    expect((await core.fail('credits.add', { ...credit, units: -1 })).message).toBe('Amount must be more than 0 (e.g. 1.5).');
    expect((await core.fail('credits.add', { ...credit, units: 25 })).message).toBe('25 SEUs cannot fit in one day; enter the day it started as well, for an activity over several days.');
    expect((await core.fail('credits.add', { ...credit, units: 1.1 })).message).toBe('Amount must be in steps of 0.25 (e.g. 1.5).');
    expect((await core.fail('credits.add', { ...credit, category: 'ways_of_working' })).message).toBe(
      '“ways_of_working” is not a Scrum Alliance category; choose one of Learning, Events, Volunteering, Other.',
    );
    expect((await core.fail('credits.add', { ...credit, date: '2030-01-01' })).message).toBe(
      '1 January 2030 is in the future; log credits once you have earned them.',
    );
    await core.call('credits.add', { ...credit, units: 20 });
    expect((await core.fail('credits.add', { ...credit, units: 5 })).message).toBe(
      '20 SEUs are already logged on 10 January 2026; adding 5 would make more than 24 in one day.',
    );
    expect(count('certification_credits')).toBe(1);
  });

  it('refuses credits for a certification that needs none', async () => {
    core = await makeTestCore();
    const psm = await core.call('certs.add', { catalogId: 'psm-1', earnedOn: '2020-01-01' });
    const err = await core.fail('credits.add', { certificationId: psm.id, date: '2026-01-10', units: 2, category: 'learning' });
    expect(err.message).toBe('PSM I needs no credits, so there is nothing to log.');
  });

  it('refuses tracking the same certification twice', async () => {
    core = await makeTestCore();
    await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03' });
    const err = await core.fail('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-04-03' });
    expect(err.code).toBe('conflict');
    expect(count('certifications')).toBe(1);
  });

  it('leaves an edit unsaved when the new dates are wrong', async () => {
    core = await makeTestCore();
    const cspo = await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03', credentialId: 'A-1' });
    const err = await core.fail('certs.update', { id: cspo.id, credentialId: 'B-2', expiresOn: '2024-01-01' });
    expect(err.code).toBe('invalid_input');
    expect((await core.call('certs.get', { id: cspo.id })).credentialId).toBe('A-1');
  });
});
