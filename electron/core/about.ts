// The About & licences page's data: licences of the starter content (from the deck files) and of the
// third-party software that ships inside Cadence (assets/third-party-licences.json, written by
// scripts/third-party-licences.mjs and kept current by a test).
import fs from 'node:fs';
import path from 'node:path';
import type { aboutChannels, SoftwareLicence } from '../../shared/contract/about';
import type { CoreContext } from './context';
import type { HandlersOf } from './handlerTypes';
import { makeStarterDecks } from './flashcards/starterDecks';

export function makeAboutHandlers(ctx: CoreContext): HandlersOf<typeof aboutChannels> {
  let software: SoftwareLicence[] | null = null;
  const readSoftware = (): SoftwareLicence[] => {
    try {
      const file = JSON.parse(fs.readFileSync(path.join(ctx.paths.assetsDir, 'third-party-licences.json'), 'utf8')) as { packages: SoftwareLicence[] };
      return file.packages;
    } catch (err) {
      // The page still shows the content licences; the log says what is missing from the installation.
      ctx.log.error('The third-party licence list could not be read', err);
      return [];
    }
  };
  return {
    'about.licences': () => {
      software ??= readSoftware();
      const content = makeStarterDecks(ctx)
        .readFiles()
        .flatMap((file) => (file.licence ? [{ deck: file.deck, name: file.licence.name, url: file.licence.url, attribution: file.licence.attribution }] : []));
      return { content, software };
    },
  };
}
