import type { z } from 'zod';
import type { Channel, ChannelOutput, ParsedInput } from '../../shared/contract';
import type { ChannelDef } from '../../shared/contract/define';

/** A handler gets the parsed input of its channel and returns (or resolves to) its output. */
export type Handler<C extends Channel> = (input: ParsedInput<C>) => ChannelOutput<C> | Promise<ChannelOutput<C>>;

export type Handlers = { [C in Channel]: Handler<C> };

/** The handlers for one feature's channel group, e.g. HandlersOf<typeof deckChannels>. */
export type HandlersOf<G extends Record<string, ChannelDef>> = {
  [C in keyof G]: (input: z.output<G[C]['input']>) => z.output<G[C]['output']> | Promise<z.output<G[C]['output']>>;
};
