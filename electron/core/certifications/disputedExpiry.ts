// Certifications whose expiry Cadence cannot compute because the body's own pages disagree on the
// renewal cycle (SAFe Scrum Master): without a date from the user they get no reminders, so every start
// says so until one is entered. (Earlier catalogs computed a date from one of the claims.)
import type { CoreContext } from '../context';
import { loadCatalog } from './catalog';

export function disputedExpiryNotice(ctx: CoreContext): string | null {
  const catalog = loadCatalog(ctx.paths.assetsDir);
  const rows = ctx.db
    .prepare<[], { catalog_id: string; label: string }>("SELECT catalog_id, label FROM certifications WHERE expires_override IS NULL AND catalog_id <> 'custom' ORDER BY id")
    .all();
  const names = rows.flatMap((r) => {
    const entry = catalog.entry(r.catalog_id);
    if (!entry || entry.validityYears !== null || !entry.disputes.some((d) => d.rule === 'validityYears')) return [];
    return [r.label ? `${entry.abbreviation} (${r.label})` : entry.abbreviation];
  });
  if (names.length === 0) return null;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const one = names.length === 1;
  return `No renewal reminders for ${list}: the body's own pages disagree on how long ${one ? 'it lasts' : 'they last'}, so Cadence does not guess ${one ? 'its' : 'their'} expiry. Enter the expiry date from your certificate on ${one ? 'its' : 'each'} page under Certifications.`;
}
