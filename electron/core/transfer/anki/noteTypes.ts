// Which Cadence note type each Anki note type becomes. Anki's stock Basic, Basic (and reversed card)
// and Cloze (in any language, recognised by their templates, not their names) map onto Cadence's own;
// any other design is kept as a custom note type with its fields, templates and CSS, matched again on
// re-import by its Anki id.
import crypto from 'node:crypto';
import { missingTemplateFields, type CardTemplate } from '../../../../shared/ankiTemplate';
import { AppError } from '../../../../shared/errors';
import type { AnkiNoteType } from './model';

export type BuiltInKind = 'basic' | 'reversed' | 'cloze';

/** Cadence's built-in note types (rows of 001_init.sql). */
export const BUILT_IN_NOTE_TYPES: Record<BuiltInKind, number> = { basic: 1, reversed: 2, cloze: 3 };

/** A template with whitespace, line breaks and the answer divider removed, for comparing designs. */
function compact(template: string): string {
  return template
    .replace(/<hr\s+id\s*=\s*["']?answer["']?\s*\/?>/gi, '')
    .replace(/<br\s*\/?>/gi, '')
    .replace(/\s+/g, '');
}

function isFrontBack(qfmt: string, afmt: string, front: string, back: string): boolean {
  return compact(qfmt) === compact(`{{${front}}}`) && compact(afmt) === compact(`{{FrontSide}}{{${back}}}`);
}

/** The built-in kind an Anki note type is a copy of, or null when it has a design of its own. */
export function builtInKind(nt: AnkiNoteType): BuiltInKind | null {
  if (nt.fields.length !== 2) return null;
  const [f0, f1] = nt.fields as [string, string];
  const [t0, t1] = nt.templates;
  if (nt.cloze) {
    if (nt.templates.length !== 1 || !t0) return null;
    const q = compact(t0.qfmt);
    const a = compact(t0.afmt);
    const cloze = compact(`{{cloze:${f0}}}`);
    return q === cloze && (a === cloze + compact(`{{${f1}}}`) || a === cloze) ? 'cloze' : null;
  }
  if (nt.templates.length === 1 && t0 && isFrontBack(t0.qfmt, t0.afmt, f0, f1)) return 'basic';
  if (nt.templates.length === 2 && t0 && t1 && isFrontBack(t0.qfmt, t0.afmt, f0, f1) && isFrontBack(t1.qfmt, t1.afmt, f1, f0)) return 'reversed';
  return null;
}

export function cadenceTemplates(nt: AnkiNoteType): CardTemplate[] {
  return nt.templates.map((t) => ({ name: t.name, front: t.qfmt, back: t.afmt }));
}

/**
 * Refuses a note type whose templates use fields it does not have: its cards could not be shown.
 * The message names the note type, the template and the field so it can be fixed in Anki.
 */
export function checkNoteType(nt: AnkiNoteType): void {
  if (nt.fields.length === 0) {
    throw new AppError('unsupported', `The note type "${nt.name}" in this package has no fields. Fix it in Anki (Tools > Manage Note Types) and export again; nothing was imported.`);
  }
  if (nt.templates.length === 0) {
    throw new AppError('unsupported', `The note type "${nt.name}" in this package has no card templates. Fix it in Anki and export again; nothing was imported.`);
  }
  const missing = missingTemplateFields(cadenceTemplates(nt), nt.fields)[0];
  if (missing) {
    throw new AppError(
      'unsupported',
      `The note type "${nt.name}" in this package is broken: the ${missing.side} of its card "${missing.template}" uses the field ` +
        `"${missing.field}", which the note type does not have. Fix the template in Anki (Tools > Manage Note Types > Cards) and export again; nothing was imported.`,
    );
  }
}

/**
 * How a custom note type is found again on re-import: its Anki id, plus a digest of its field names so
 * a changed design (fields added or renamed in Anki) becomes a new note type instead of garbling notes.
 */
export function sourceKey(nt: AnkiNoteType): string {
  const digest = crypto.createHash('sha256').update(JSON.stringify(nt.fields)).digest('hex').slice(0, 12);
  return `anki:${nt.id}:${digest}`;
}
