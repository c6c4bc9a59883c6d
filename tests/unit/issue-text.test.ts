// What a person reads when a form's input is refused: a sentence naming the field as the form does and
// what to enter, never a field path ("rules.daysBefore.0") or the validation library's wording.
import { afterEach, describe, expect, it } from 'vitest';
import { presetFieldsSchema } from '../../shared/contract/flashcards';
import { issuesByField } from '../../shared/issueText';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore | undefined;
afterEach(() => {
  core?.close();
  core = undefined;
});

describe('refused input is described in sentences', () => {
  it('names the field and says what to enter, with an example', async () => {
    core = await makeTestCore();
    const cert = await core.call('certs.add', { catalogId: 'sa-cspo', earnedOn: '2025-03-03' });
    const rules = { enabled: true, daysBefore: [90, null], onExpiryDay: true, weeklyDuringGrace: true, creditPace: true };
    expect((await core.fail('certs.setReminderRules', { id: cert.id, rules })).message).toBe('Enter days before expiry as numbers, e.g. 90, 30, 7.');
    expect((await core.fail('settings.update', { dailyGoalCards: 0 })).message).toBe('Daily goal must be at least 1.');
    expect((await core.fail('settings.update', { dailyGoalCards: null })).message).toBe('Enter daily goal as a number, e.g. 20.');
    expect((await core.fail('decks.create', { name: '' })).message).toBe('Name must not be empty.');
    // A sentence the schema writes whole is kept whole, not prefixed with the field's name.
    expect((await core.fail('sync.configure', { url: '', database: 'cadence', username: '' })).message).toBe(
      'Enter the server address, like https://couch.example.org:6984.',
    );
    const { decks: _decks, fsrsParams: _fitted, ...preset } = (await core.call('presets.list')).presets[0]!;
    expect((await core.fail('presets.update', { ...preset, learningSteps: ['ten'] })).message).toBe(
      'Each of learning steps must be a number followed by m, h or d, like "10m", "1h" or "1d" (e.g. 1m 10m).',
    );
  });

  it('gives each field its own sentence, for forms to show beside the field', () => {
    const parsed = presetFieldsSchema.partial().safeParse({ newPerDay: -1, learningSteps: ['1m', 'x'], name: '' });
    expect(parsed.success).toBe(false);
    const byField = issuesByField(parsed.error!.issues);
    expect(byField.newPerDay).toBe('New cards per day must not be negative.');
    expect(byField.learningSteps).toMatch(/^Each of learning steps must be a number followed by m, h or d/);
    for (const sentence of Object.values(byField)) expect(sentence).not.toMatch(/[a-zA-Z]+\.\d|Invalid input|Too small|expected \w+, received/);
  });
});
