import { AppError } from '../../../shared/errors';
import type { Deck } from '../../../shared/contract/decks';
import type { Db } from '../context';

interface DeckRow {
  id: number;
  parent_id: number | null;
  name: string;
  preset_id: number;
  created_at: number;
}

/** How deep decks may nest: deeper trees are a mistake (or a hostile file), not a way of studying. */
export const MAX_DECK_DEPTH = 20;

/** Decks form a tree by parent_id; paths ("A::B") are computed, never stored, so renames are one row. */
export function makeDeckStore(db: Db) {
  const selectAll = db.prepare<[], DeckRow>(
    'SELECT id, parent_id, name, preset_id, created_at FROM decks ORDER BY name COLLATE NOCASE, id',
  );
  const selectOne = db.prepare<[number], DeckRow>('SELECT id, parent_id, name, preset_id, created_at FROM decks WHERE id = ?');
  const selectSibling = db.prepare<[number | null, string], { id: number }>(
    'SELECT id FROM decks WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND name = ? COLLATE NOCASE',
  );
  const insert = db.prepare('INSERT INTO decks (parent_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)');
  const updateName = db.prepare('UPDATE decks SET name = ?, updated_at = ? WHERE id = ?');
  const updateParent = db.prepare('UPDATE decks SET parent_id = ?, updated_at = ? WHERE id = ?');
  const subtreeIds = db.prepare<[number], { id: number }>(
    `WITH RECURSIVE tree(id) AS (SELECT ? UNION ALL SELECT d.id FROM decks d JOIN tree t ON d.parent_id = t.id)
     SELECT id FROM tree`,
  );
  const countCardsIn = db.prepare<[string], { cards: number; notes: number }>(
    `SELECT count(*) AS cards, count(DISTINCT note_id) AS notes FROM cards WHERE deck_id IN (SELECT value FROM json_each(?))`,
  );
  const deleteDeck = db.prepare('DELETE FROM decks WHERE id = ?');
  const notesIn = db.prepare<[string], { note_id: number }>(
    'SELECT DISTINCT note_id FROM cards WHERE deck_id IN (SELECT value FROM json_each(?))',
  );
  // A note whose every card went with a deleted deck would be invisible; it goes too.
  const deleteNoteIfOrphan = db.prepare('DELETE FROM notes WHERE id = ? AND NOT EXISTS (SELECT 1 FROM cards WHERE note_id = ?)');

  function toDeck(row: DeckRow, byId: Map<number, DeckRow>): Deck {
    const names: string[] = [];
    let depth = -1;
    for (let cur: DeckRow | undefined = row; cur; cur = cur.parent_id === null ? undefined : byId.get(cur.parent_id)) {
      names.unshift(cur.name);
      depth++;
    }
    return { id: row.id, parentId: row.parent_id, name: row.name, path: names.join('::'), depth, presetId: row.preset_id, createdAt: row.created_at };
  }

  /** Every deck in tree order: each parent directly followed by its children, siblings by name. */
  function list(): Deck[] {
    const rows = selectAll.all();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const children = new Map<number | null, DeckRow[]>();
    for (const r of rows) {
      const key = r.parent_id;
      const list = children.get(key) ?? [];
      list.push(r);
      children.set(key, list);
    }
    // Depth-first without recursion: parents before children, siblings in name order.
    const out: Deck[] = [];
    const stack = [...(children.get(null) ?? [])].reverse();
    for (let r = stack.pop(); r; r = stack.pop()) {
      out.push(toDeck(r, byId));
      stack.push(...[...(children.get(r.id) ?? [])].reverse());
    }
    return out;
  }

  const depthOf = db.prepare<[number], { depth: number }>(
    `WITH RECURSIVE up(id, depth) AS (SELECT ?, 1 UNION ALL SELECT d.parent_id, up.depth + 1 FROM decks d JOIN up ON d.id = up.id WHERE d.parent_id IS NOT NULL)
     SELECT max(depth) AS depth FROM up`,
  );
  const heightOf = db.prepare<[number], { height: number }>(
    `WITH RECURSIVE down(id, height) AS (SELECT ?, 1 UNION ALL SELECT d.id, down.height + 1 FROM decks d JOIN down ON d.parent_id = down.id)
     SELECT max(height) AS height FROM down`,
  );
  const tooDeep = () => new AppError('conflict', `Decks can nest at most ${MAX_DECK_DEPTH} levels deep.`);

  function require(id: number): DeckRow {
    const row = selectOne.get(id);
    if (!row) throw new AppError('not_found', 'That deck no longer exists. It may have been deleted in another window.');
    return row;
  }

  function get(id: number): Deck {
    require(id);
    const deck = list().find((d) => d.id === id);
    if (!deck) throw new AppError('not_found', 'That deck no longer exists.');
    return deck;
  }

  function assertNameFree(parentId: number | null, name: string, exceptId?: number): void {
    const clash = selectSibling.get(parentId, name);
    if (clash && clash.id !== exceptId) {
      throw new AppError('conflict', `A deck named "${name}" already exists ${parentId === null ? 'at the top level' : 'in that parent deck'}.`);
    }
  }

  const create = db.transaction((name: string, parentId: number | null, now: number): Deck => {
    if (parentId !== null) {
      require(parentId);
      if (depthOf.get(parentId)!.depth + 1 > MAX_DECK_DEPTH) throw tooDeep();
    }
    assertNameFree(parentId, name);
    const id = Number(insert.run(parentId, name, now, now).lastInsertRowid);
    return get(id);
  });

  const rename = db.transaction((id: number, name: string, now: number): Deck => {
    const row = require(id);
    assertNameFree(row.parent_id, name, id);
    updateName.run(name, now, id);
    return get(id);
  });

  const move = db.transaction((id: number, parentId: number | null, now: number): Deck => {
    const row = require(id);
    if (parentId !== null) {
      require(parentId);
      const inside = subtreeIds.all(id).some((r) => r.id === parentId);
      if (inside) throw new AppError('conflict', 'A deck cannot be moved inside itself or one of its subdecks.');
      if (depthOf.get(parentId)!.depth + heightOf.get(id)!.height > MAX_DECK_DEPTH) throw tooDeep();
    }
    assertNameFree(parentId, row.name, id);
    updateParent.run(parentId, now, id);
    return get(id);
  });

  /** Finds or creates the deck at a '::' path, creating missing levels. */
  const ensurePath = db.transaction((path: string, now: number): number => {
    let parentId: number | null = null;
    const levels = path.split('::');
    if (levels.length > MAX_DECK_DEPTH) {
      throw new AppError('invalid_input', `The deck path "${path.slice(0, 80)}…" has ${levels.length} levels; decks nest at most ${MAX_DECK_DEPTH} deep.`);
    }
    for (const raw of levels) {
      const name = raw.trim();
      if (!name) throw new AppError('invalid_input', `The deck path "${path}" has an empty level.`);
      const existing = selectSibling.get(parentId, name);
      parentId = existing ? existing.id : Number(insert.run(parentId, name, now, now).lastInsertRowid);
    }
    if (parentId === null) throw new AppError('invalid_input', 'A deck path must not be empty.');
    return parentId;
  });

  function deletePreview(id: number): { decks: number; cards: number; notes: number } {
    require(id);
    const ids = subtreeIds.all(id).map((r) => r.id);
    const counts = countCardsIn.get(JSON.stringify(ids)) ?? { cards: 0, notes: 0 };
    return { decks: ids.length, cards: counts.cards, notes: counts.notes };
  }

  const remove = db.transaction((id: number) => {
    const preview = deletePreview(id);
    const noteIds = notesIn.all(JSON.stringify(subtreeIds.all(id).map((r) => r.id))).map((r) => r.note_id);
    deleteDeck.run(id); // subdecks and their cards follow by ON DELETE CASCADE
    for (const noteId of noteIds) deleteNoteIfOrphan.run(noteId, noteId);
    return preview;
  });

  return { list, get, create, rename, move, ensurePath, deletePreview, remove, subtreeIds: (id: number) => subtreeIds.all(id).map((r) => r.id) };
}
export type DeckStore = ReturnType<typeof makeDeckStore>;
