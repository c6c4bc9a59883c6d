// URL rules for the desktop shell, kept here (plain Node) so they are unit-tested.

/** The renderer's own origin in the desktop app. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'cadence';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

function parse(url: string | undefined | null): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True only for pages served by Cadence itself: the IPC sender check. */
export function isAppUrl(url: string | undefined | null): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '';
}

/** Links the system browser may open: https (no credentials) and mailto. Everything else is dropped. */
export function isSafeExternalUrl(url: string | undefined | null): boolean {
  const u = parse(url);
  if (!u) return false;
  // A plain address only: some mail programs honour parameters such as ?attach=<local file>.
  if (u.protocol === 'mailto:') return u.search === '' && u.pathname.includes('@');
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.hostname !== '';
}
