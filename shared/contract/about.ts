// Channels of the About & licences page: the licences of the content Cadence ships (the Scrum Guide
// deck is an adaptation under CC BY-SA 4.0) and of the third-party software inside it.
// Merged into the contract by shared/contract.ts.
import { z } from 'zod';
import { channel, noInput } from './define';

export const contentLicenceSchema = z.object({
  /** The starter deck the licence covers ("Starter::Scrum Guide 2020"). */
  deck: z.string(),
  name: z.string(),
  url: z.string(),
  /** The attribution the licence asks for, as the deck states it. */
  attribution: z.string(),
});
export type ContentLicence = z.output<typeof contentLicenceSchema>;

export const softwareLicenceSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** SPDX expression from the package ("MIT", "(MPL-2.0 OR Apache-2.0)"). */
  licence: z.string(),
  homepage: z.string(),
  note: z.string(),
  /** The licence text the package ships. */
  text: z.string(),
});
export type SoftwareLicence = z.output<typeof softwareLicenceSchema>;

export const aboutChannels = {
  'about.licences': channel(noInput, z.object({ content: z.array(contentLicenceSchema), software: z.array(softwareLicenceSchema) })),
};

export const aboutEvents = {};
