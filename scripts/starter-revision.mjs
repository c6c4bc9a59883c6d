// Prepares a new revision of the starter decks (assets/decks/*.json) for collections that hold an
// older one: compares each file with the same file at a git ref (the last release) and
//   - adds to `replaces` the stored-fields hash of each note whose text or type changed, so
//     collections where the user never edited it are updated in place (see starterDecks.ts);
//   - marks notes new since the ref with `added: <revision>`;
//   - fails when a note of the ref is gone without being listed in `retired`.
// Raise `revision` in the file first. Usage: node scripts/starter-revision.mjs <git-ref>
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const ref = process.argv[2];
if (!ref) {
  console.error('Usage: node scripts/starter-revision.mjs <git-ref of the last release>');
  process.exit(2);
}
const dir = path.join(import.meta.dirname, '..', 'assets', 'decks');
// Must match starterDecks.ts: the note's fields as stored (a JSON array), hashed.
const fieldsOf = (n) => (n.type === 'cloze' ? [n.fields.Text, n.fields.Extra ?? ''] : [n.fields.Front, n.fields.Back]);
const hash = (n) => createHash('sha256').update(JSON.stringify(fieldsOf(n))).digest('hex').slice(0, 16);

let failed = false;
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const file = path.join(dir, name);
  const current = JSON.parse(fs.readFileSync(file, 'utf8'));
  let before;
  try {
    before = JSON.parse(execFileSync('git', ['show', `${ref}:assets/decks/${name}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    console.log(`${name}: new file, nothing to upgrade`);
    continue;
  }
  const old = new Map(before.notes.map((n) => [n.guid, n]));
  const retired = new Set((current.retired ?? []).map((r) => r.guid));
  let changed = 0;
  let added = 0;
  for (const note of current.notes) {
    const prev = old.get(note.guid);
    if (!prev) {
      if (note.added === undefined) note.added = current.revision;
      added++;
      continue;
    }
    if (hash(prev) !== hash(note) || prev.type !== note.type) {
      const replaces = new Set([...(note.replaces ?? []), ...(prev.replaces ?? []), hash(prev)]);
      replaces.delete(hash(note));
      if (replaces.size) note.replaces = [...replaces];
      changed++;
    }
  }
  for (const guid of old.keys()) {
    if (!current.notes.some((n) => n.guid === guid) && !retired.has(guid)) {
      console.error(`${name}: note ${guid} was removed; list it under "retired" with a reason`);
      failed = true;
    }
  }
  if ((current.revision ?? 1) <= (before.revision ?? 1) && (changed || added || retired.size > (before.retired ?? []).length)) {
    console.error(`${name}: content changed since ${ref}; raise "revision" above ${before.revision ?? 1}`);
    failed = true;
  }
  fs.writeFileSync(file, `${JSON.stringify(current, null, 2)}\n`);
  console.log(`${name}: ${changed} changed, ${added} added, ${retired.size} retired`);
}
process.exit(failed ? 1 : 0);
