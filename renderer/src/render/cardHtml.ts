// Card text to safe HTML. A note's fields are Markdown (typed in Cadence) or HTML (imported from Anki);
// Markdown goes through marked first (shared/noteFormat.ts), HTML as it is, and both then through
// DOMPurify, so scripts, event handlers and javascript: links never survive, whatever a field or an
// imported deck contains. Media names point at the collection's media folder. Nothing in a card may
// load from the network: a remote picture becomes a visible "Remote image not loaded" placeholder,
// other remote sources and CSS url()s are removed, here in the content itself; the page's CSP is the
// second wall, not the only one.
import DOMPurify from 'dompurify';
import { sourceToHtml, type NoteFormat } from '../../../shared/noteFormat';
import { isRemoteUrl, withoutRemoteCss } from '../../../shared/remoteContent';

// A dedicated instance, so these hooks never affect other code that uses DOMPurify.
const purify = DOMPurify(window);

/** Marks a picture that pointed at the network; set after attributes are checked, so content cannot forge it. */
const REMOTE_MARK = 'data-cadence-remote';

/**
 * Media references -> the app's media address: "media/<name>" (what imports write) and bare names
 * ("picture.png", as Anki stores them) both become /media/<name>; data: and blob: stay as they are.
 */
function mediaUrl(src: string): string {
  if (/^(?:[a-z][a-z0-9+.-]*:|\/|#)/i.test(src)) return src;
  return `/media/${encodeURIComponent(src.replace(/^media\//, ''))}`;
}

/** Attributes that make the browser fetch something. */
const FETCHING = ['src', 'srcset', 'poster', 'background', 'href', 'xlink:href', 'data'];

purify.addHook('afterSanitizeAttributes', (node) => {
  if (!(node instanceof Element)) return;
  const isImage = node instanceof HTMLImageElement || node.localName === 'image';
  for (const name of FETCHING) {
    const value = node.getAttribute(name);
    if (value === null) continue;
    // Links are followed only when clicked (and open outside the app); everything else loads at once.
    if (name === 'href' && node instanceof HTMLAnchorElement) continue;
    const remote = name === 'srcset' ? value.split(',').some((part) => isRemoteUrl(part.trim().split(/\s+/)[0] ?? '')) : isRemoteUrl(value);
    if (!remote) continue;
    node.removeAttribute(name);
    if (isImage) node.setAttribute(REMOTE_MARK, hostOf(value));
  }
  const style = node.getAttribute('style');
  if (style !== null && /url\s*\(/i.test(style)) node.setAttribute('style', withoutRemoteCss(style));
  if (node.hasAttribute('href') && node instanceof HTMLAnchorElement) {
    // Every link opens outside the app window (the shell allows only https and mailto), never in it.
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
  if ((node instanceof HTMLImageElement || node instanceof HTMLMediaElement || node instanceof HTMLSourceElement) && node.hasAttribute('src')) {
    node.setAttribute('src', mediaUrl(node.getAttribute('src') ?? ''));
  }
});

function hostOf(url: string): string {
  try {
    return new URL(url.startsWith('//') ? `https:${url}` : url).host;
  } catch {
    return '';
  }
}

const PURIFY_CONFIG = {
  USE_PROFILES: { html: true },
  // Image maps (<area href>) would navigate the app's own tab; cards have no use for them.
  FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select', 'button', 'iframe', 'frame', 'object', 'embed', 'base', 'meta', 'link', 'map', 'area'],
  ADD_ATTR: ['target', 'controls'],
  ALLOW_DATA_ATTR: false,
};

/** A visible stand-in for a picture that would have been fetched from the network. */
function remotePlaceholder(img: Element): HTMLElement {
  const host = img.getAttribute(REMOTE_MARK) ?? '';
  const alt = (img.getAttribute('alt') ?? '').trim();
  const span = document.createElement('span');
  span.className = 'remote-image';
  span.setAttribute('role', 'img');
  const label = `Remote image not loaded${host ? ` (${host})` : ''}${alt ? `: ${alt}` : ''}`;
  span.setAttribute('aria-label', label);
  span.title = 'Cadence does not load pictures from the internet. Save the picture into the note to see it here.';
  span.textContent = label;
  return span;
}

/** Anki's "[sound:file.mp3]" becomes an audio player. */
function soundTags(source: string): string {
  return source.replace(/\[sound:([^\]\n]+)\]/g, (_m, name: string) => {
    const attr = name.trim().replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<audio controls src="${attr}"></audio>`;
  });
}

// The last few sides made, by format and source: the review screen prepares the card announced ahead
// while idle, so showing it on a rating key does no Markdown or sanitising (callers clone what they insert).
const made = new Map<string, DocumentFragment>();
const MADE_KEPT = 16;

/**
 * A card side's source (Markdown or HTML, as its note is written) -> sanitised DOM nodes, ready to
 * insert. Clone them: the result is shared.
 */
export function cardFragment(source: string, format: NoteFormat = 'markdown'): DocumentFragment {
  const key = `${format}\u0000${source}`;
  const hit = made.get(key);
  if (hit) return hit;
  const html = sourceToHtml(soundTags(source), format);
  const fragment = purify.sanitize(html, { ...PURIFY_CONFIG, RETURN_DOM_FRAGMENT: true });
  for (const img of fragment.querySelectorAll(`[${REMOTE_MARK}]`)) img.replaceWith(remotePlaceholder(img));
  made.set(key, fragment);
  if (made.size > MADE_KEPT) made.delete(made.keys().next().value!);
  return fragment;
}

/** The same as sanitised HTML text. */
export function cardHtml(source: string, format: NoteFormat = 'markdown'): string {
  const box = document.createElement('div');
  box.append(cardFragment(source, format).cloneNode(true));
  return box.innerHTML;
}
