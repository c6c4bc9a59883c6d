// The Content-Security-Policy for every page Cadence serves (desktop app protocol and browser mode).
// No inline or eval'd script anywhere; card HTML is sanitized before it reaches the DOM, and this is the
// second wall. Inline styles stay allowed so imported note types can carry their own (scoped) CSS.
// Math (KaTeX, renderer/src/render/mathRender.ts) needs nothing more: it is same-origin script loaded on
// demand, builds its nodes through the DOM and sizes them through style properties, and its fonts are
// served by the app (font-src 'self'). Card content never loads from the network (cardHtml.ts).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');
