// Card text to safe HTML. Fields are Markdown (typed in Cadence) or HTML (imported from Anki); both go
// through marked and then DOMPurify, so scripts, event handlers and javascript: links never survive,
// whatever a field or an imported deck contains. Media names point at the collection's media folder.
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

const markdown = new Marked({ gfm: true, breaks: true, async: false });

// A dedicated instance, so these hooks never affect other code that uses DOMPurify.
const purify = DOMPurify(window);

/**
 * Media references -> the app's media address: "media/<name>" (what imports write) and bare names
 * ("picture.png", as Anki stores them) both become /media/<name>; anything with a scheme is left to the CSP.
 */
function mediaUrl(src: string): string {
  if (/^(?:[a-z][a-z0-9+.-]*:|\/|#)/i.test(src)) return src;
  return `/media/${encodeURIComponent(src.replace(/^media\//, ''))}`;
}

purify.addHook('afterSanitizeAttributes', (node) => {
  if (node instanceof Element && node.hasAttribute('href')) {
    // Every link opens outside the app window (the shell allows only https and mailto), never in it.
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
  if ((node instanceof HTMLImageElement || node instanceof HTMLMediaElement || node instanceof HTMLSourceElement) && node.hasAttribute('src')) {
    node.setAttribute('src', mediaUrl(node.getAttribute('src') ?? ''));
  }
});

const PURIFY_CONFIG = {
  USE_PROFILES: { html: true },
  // Image maps (<area href>) would navigate the app's own tab; cards have no use for them.
  FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select', 'button', 'iframe', 'frame', 'object', 'embed', 'base', 'meta', 'link', 'map', 'area'],
  ADD_ATTR: ['target', 'controls'],
  ALLOW_DATA_ATTR: false,
};

/** Anki's "[sound:file.mp3]" becomes an audio player. */
function soundTags(source: string): string {
  return source.replace(/\[sound:([^\]\n]+)\]/g, (_m, name: string) => {
    const attr = name.trim().replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<audio controls src="${attr}"></audio>`;
  });
}

// The last few sides made, by source: the review screen prepares the card announced ahead while idle,
// so showing it on a rating key does no Markdown or sanitising (callers clone what they insert).
const made = new Map<string, DocumentFragment>();
const MADE_KEPT = 16;

/** Markdown/HTML source -> sanitised DOM nodes, ready to insert (clone them: the result is shared). */
export function cardFragment(source: string): DocumentFragment {
  const hit = made.get(source);
  if (hit) return hit;
  const html = markdown.parse(soundTags(source)) as string;
  const fragment = purify.sanitize(html, { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
  made.set(source, fragment);
  if (made.size > MADE_KEPT) made.delete(made.keys().next().value!);
  return fragment;
}

/** Markdown/HTML source -> sanitised HTML text. */
export function cardHtml(source: string): string {
  const html = markdown.parse(soundTags(source)) as string;
  return purify.sanitize(html, PURIFY_CONFIG);
}
