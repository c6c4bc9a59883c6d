// The one contract between the renderer and the main process (or the browser-mode server).
// Every channel is declared once, in a file per feature under ./contract/, and merged here; main,
// preload, browser mode, renderer and tests all derive from this object.
import type { z } from 'zod';
import { appChannels, appEvents } from './contract/app';
import { deckChannels, deckEvents } from './contract/decks';
import { flashcardsChannels, flashcardsEvents } from './contract/flashcards';
import { certificationsChannels, certificationsEvents } from './contract/certifications';
import { curriculumChannels, curriculumEvents } from './contract/curriculum';
import { transferChannels, transferEvents } from './contract/transfer';
import { statsChannels, statsEvents } from './contract/stats';
import { fsrsChannels, fsrsEvents } from './contract/fsrs';
import { aboutChannels, aboutEvents } from './contract/about';
import { examsChannels, examsEvents } from './contract/exams';
import { syncChannels, syncEvents } from './contract/sync';

export const contract = {
  ...appChannels,
  ...deckChannels,
  ...flashcardsChannels,
  ...certificationsChannels,
  ...curriculumChannels,
  ...transferChannels,
  ...statsChannels,
  ...fsrsChannels,
  ...aboutChannels,
  ...examsChannels,
  ...syncChannels,
};
export type Contract = typeof contract;
export type Channel = keyof Contract;
export const channelNames = Object.keys(contract) as Channel[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(contract, name);
}

/** What the renderer passes (before defaults and trimming). */
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
/** What the handler receives (after the zod parse). */
export type ParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;

/** Push events, main -> renderer. */
export const events = {
  ...appEvents,
  ...deckEvents,
  ...flashcardsEvents,
  ...certificationsEvents,
  ...curriculumEvents,
  ...transferEvents,
  ...statsEvents,
  ...fsrsEvents,
  ...aboutEvents,
  ...examsEvents,
  ...syncEvents,
};
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

/** The renderer's view: one async function per channel. */
export type Api = {
  [C in Channel]: (
    ...args: undefined extends ChannelInput<C> ? [input?: ChannelInput<C>] : [input: ChannelInput<C>]
  ) => Promise<ChannelOutput<C>>;
};

export type EventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** What crosses the wire for every call: a value or an error shape. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: import('./errors').ErrorShape };
