// Note text with the shape of real study collections: short questions, longer answers, some HTML
// (imported decks carry it), cloze deletions, images and sounds, and Zipf-distributed words.
import { CONTENT_WORDS, DOMAIN_WORDS, FUNCTION_WORDS, TAG_WORDS } from './vocabulary';
import { zipfWeights, type Rng } from './rng';

export type NoteKind = 'basic' | 'reversed' | 'cloze';

export interface GeneratedNote {
  kind: NoteKind;
  fields: [string, string];
  /** Plain text of the first field (HTML removed): what sorting and duplicate checks use. */
  sortField: string;
  tags: string[];
  /** Card ords: [0] basic, [0, 1] reversed, cloze numbers - 1. */
  ords: number[];
}

// Zipf exponent 0.7 over ~6,000 words: the most common word is on about a third of the notes, the
// 100th on a few percent, the 1,000th on a few hundred.
const contentCum = zipfWeights(CONTENT_WORDS.length, 0.7);
const domainCum = zipfWeights(DOMAIN_WORDS.length, 0.7);
const tagCum = zipfWeights(TAG_WORDS.length, 0.9);

export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * `media` says how fields point at media files: as Cadence stores them ("media/<name>", sounds as audio
 * players) or as an Anki package has them (bare names, [sound:name]).
 */
export function makeContent(rng: Rng, mediaNames: readonly string[], media: 'cadence' | 'anki' = 'cadence') {
  const images = mediaNames.filter((n) => !n.endsWith('.mp3'));
  const sounds = mediaNames.filter((n) => n.endsWith('.mp3'));

  const contentWord = () => CONTENT_WORDS[rng.weighted(contentCum)]!;
  /** A word from the subject's own vocabulary (questions and cloze hints use these). */
  const domainWord = () => DOMAIN_WORDS[rng.weighted(domainCum)]!;
  const word = () => (rng.chance(0.38) ? rng.pick(FUNCTION_WORDS) : contentWord());

  /** Words until the text reaches about `chars` characters. */
  function words(chars: number): string[] {
    const out: string[] = [];
    let len = 0;
    while (len < chars || out.length < 2) {
      const w = word();
      out.push(w);
      len += w.length + 1;
    }
    return out;
  }

  function sentence(chars: number, end = '.'): string {
    const w = words(chars);
    w[0] = w[0]!.charAt(0).toUpperCase() + w[0]!.slice(1);
    return w.join(' ') + end;
  }

  function paragraph(chars: number): string {
    const parts: string[] = [];
    let len = 0;
    while (len < chars) {
      const s = sentence(Math.min(chars - len, rng.int(30, 110)));
      parts.push(s);
      len += s.length + 1;
    }
    return parts.join(' ');
  }

  /** Some imported answers carry formatting, lists and media. */
  function decorate(text: string): string {
    let out = text;
    const roll = rng.next();
    if (roll < 0.1) {
      const items = out.split('. ').filter(Boolean);
      if (items.length > 1) out = `<ul>${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
    } else if (roll < 0.22) {
      const w = out.split(' ');
      const at = rng.int(0, w.length - 1);
      w[at] = `<b>${w[at]}</b>`;
      out = w.join(' ');
    } else if (roll < 0.3) {
      out = out.replace('. ', '.<br>');
    }
    const prefix = media === 'cadence' ? 'media/' : '';
    if (images.length && rng.chance(0.05)) out += `<br><img src="${prefix}${rng.pick(images)}">`;
    if (sounds.length && rng.chance(0.015)) {
      const sound = rng.pick(sounds);
      out += media === 'cadence' ? ` <audio controls preload="none" src="media/${sound}"></audio>` : ` [sound:${sound}]`;
    }
    return out;
  }

  const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, Math.round(v)));

  function question(): string {
    const len = clamp(rng.logNormal(55, 0.5), 12, 300);
    if (rng.chance(0.4)) return `What is ${rng.chance(0.5) ? 'the' : 'a'} ${domainWord()} ${domainWord()}?`;
    return sentence(len, rng.chance(0.6) ? '?' : '');
  }

  function answer(): string {
    return decorate(paragraph(clamp(rng.logNormal(130, 0.8), 3, 2500)));
  }

  /** Text with `count` cloze deletions c1..cN over domain words, some with hints. */
  function clozeText(count: number): string {
    const text = paragraph(clamp(rng.logNormal(90 * count + 60, 0.45), 60, 3000));
    const w = text.split(' ');
    const positions = new Set<number>();
    for (let tries = 0; positions.size < count && tries < 200; tries++) positions.add(rng.int(0, w.length - 1));
    let n = 0;
    for (const at of [...positions].sort((a, b) => a - b)) {
      n++;
      const hint = rng.chance(0.15) ? `::${domainWord()}` : '';
      const raw = w[at]!;
      const tail = /[.?]$/.test(raw) ? raw.slice(-1) : '';
      w[at] = `{{c${n}::${tail ? raw.slice(0, -1) : raw}${hint}}}${tail}`;
    }
    return w.join(' ');
  }

  function tags(): string[] {
    const count = rng.weighted(cumTagCount);
    const out = new Set<string>();
    while (out.size < count) out.add(TAG_WORDS[rng.weighted(tagCum)]!);
    return [...out];
  }

  function note(kind: NoteKind, clozeCount: number): GeneratedNote {
    let fields: [string, string];
    let ords: number[];
    if (kind === 'cloze') {
      fields = [clozeText(clozeCount), rng.chance(0.5) ? '' : decorate(sentence(clamp(rng.logNormal(60, 0.6), 10, 400)))];
      ords = Array.from({ length: clozeCount }, (_, i) => i);
    } else {
      fields = [question(), answer()];
      ords = kind === 'reversed' ? [0, 1] : [0];
    }
    return { kind, fields, sortField: plainText(fields[0]).slice(0, 500), tags: tags(), ords };
  }

  return { note, domainWord };
}

// 0..4 tags per note, most notes have one or two.
const cumTagCount = Float64Array.from([0.2, 0.55, 0.85, 0.96, 1]);
