// Card content never loads anything from the network: an imported deck could otherwise tell whoever
// serves a picture when, and how often, its cards are studied. These checks make the content itself
// safe (the page's CSP blocks such requests too, as a second wall).

/**
 * Whether a src/href-like value points outside the app: any scheme other than data: and blob:, or a
 * protocol-relative "//host/..." address. Relative names ("picture.png", "media/…") are local media.
 */
export function isRemoteUrl(value: string): boolean {
  // Browsers ignore leading/trailing spaces and strip tabs and line breaks inside URLs.
  const v = value.trim().replace(/[\t\n\r]/g, '');
  if (v.startsWith('//') || v.startsWith('\\\\') || v.startsWith('/\\') || v.startsWith('\\/')) return true;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(v)?.[1]?.toLowerCase();
  return scheme !== undefined && scheme !== 'data' && scheme !== 'blob';
}

const CSS_URL = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)]*?))\s*\)/gi;
const CSS_IMPORT = /@import\s+[^;]*;?/gi;
/** A quoted address in CSS outside url(): image-set("https://…" 1x) and the like fetch it too. */
const CSS_REMOTE_STRING = /(["'])\s*(?:[a-z][a-z0-9+.-]*:\/\/|\/\/)[^"']*\1/gi;
/**
 * A backslash escape of a letter of "url", "image-set" or "@import" (like "\75 rl(" or "u\rl("): CSS
 * reads those letters as written, so the function would slip past the patterns above. Real note type
 * CSS has no reason to escape letters; the backslash is replaced, which breaks the name harmlessly.
 */
const CSS_ESCAPED_LETTER = /\\(?=0{0,4}(?:4[0-9a-f]|5[0-9a]|6[0-9a-f]|7[0-9a])(?:\s|[^0-9a-f]|$)|[a-z])/gi;

/** CSS (a note type's, or a style attribute) without @import rules and with remote addresses emptied. */
export function withoutRemoteCss(css: string): string {
  if (!/url\s*\(|@import|image-set|\\|:\/\/|["']\s*\/\//i.test(css)) return css;
  return css
    .replace(CSS_ESCAPED_LETTER, '_')
    .replace(CSS_IMPORT, '')
    .replace(CSS_URL, (whole, dq?: string, sq?: string, bare?: string) => (isRemoteUrl(dq ?? sq ?? bare ?? '') ? 'none' : whole))
    .replace(CSS_REMOTE_STRING, (whole) => (isRemoteUrl(whole.slice(1, -1)) ? '""' : whole));
}
