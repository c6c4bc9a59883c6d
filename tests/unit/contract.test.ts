import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelNames, contract } from '../../shared/contract';
import { makeTestCore, type TestCore } from './testCore';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core.close());

/** Inputs no channel may accept: wrong types, and objects with keys no channel knows. */
const MALFORMED: unknown[] = ['a string', 42, true, null, [], [1, 2], { __unexpected: 1 }];

function changes(): number {
  return (core.ctx.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
}

describe('the contract', () => {
  it('declares every channel once, with a handler for each', () => {
    expect(channelNames.length).toBeGreaterThan(5);
    for (const channel of channelNames) {
      expect(typeof core.handlers[channel], channel).toBe('function');
      expect(channel).toMatch(/^[a-z][a-zA-Z]*\.[a-zA-Z]+$/);
    }
  });

  it.each(channelNames)('%s rejects malformed input with invalid_input and changes nothing', async (channel) => {
    const before = changes();
    const acceptsNothing = contract[channel].input.safeParse(undefined).success;
    const inputs = acceptsNothing ? MALFORMED : [...MALFORMED, undefined];
    for (const input of inputs) {
      const error = await core.fail(channel, input);
      expect(error.code, `${channel} with ${JSON.stringify(input)}`).toBe('invalid_input');
      expect(error.message.length).toBeGreaterThan(5);
      expect(error.message).not.toMatch(/\bat .*\.ts:\d+/); // never a stack trace
    }
    expect(changes()).toBe(before);
  });

  it('unknown channels are refused', async () => {
    const error = await core.fail('decks.dropAll' as never, {});
    expect(error.code).toBe('not_found');
  });
});
