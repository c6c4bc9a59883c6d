// Note tags: a list in the API, one padded string in the notes table (" scrum::events leech "), so a
// LIKE '% tag %' finds a tag and LIKE '% tag::%' finds the tags below it. Tags match case-insensitively.
import { tagName } from '../../../shared/contract/flashcards';
import { AppError } from '../../../shared/errors';

/** Trims, validates and de-duplicates tags (case-insensitively, first spelling kept). Throws on a bad tag. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of tags) {
    const parsed = tagName.safeParse(raw);
    if (!parsed.success) {
      throw new AppError('invalid_input', `The tag "${raw.trim()}" ${parsed.error.issues[0]?.message ?? 'is not valid'}.`);
    }
    const key = parsed.data.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(parsed.data);
  }
  return out;
}

/** Stored form: space-separated and padded with spaces; '' for none. */
export function joinTags(tags: readonly string[]): string {
  return tags.length ? ` ${tags.join(' ')} ` : '';
}

export function splitTags(stored: string): string[] {
  return stored.split(' ').filter((t) => t !== '');
}

export function hasTag(tags: readonly string[], tag: string): boolean {
  const key = tag.toLowerCase();
  return tags.some((t) => t.toLowerCase() === key);
}

/** `tags` plus `add` minus `remove` (matching case-insensitively), order kept. */
export function editTags(tags: readonly string[], add: readonly string[], remove: readonly string[]): string[] {
  const drop = new Set(remove.map((t) => t.toLowerCase()));
  const kept = tags.filter((t) => !drop.has(t.toLowerCase()));
  return normalizeTags([...kept, ...add.filter((t) => !drop.has(t.toLowerCase()))]);
}

/** Escapes LIKE wildcards in user text (used with ESCAPE '\'). */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
