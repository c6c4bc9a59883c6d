// Certifications, their credit entries and fired reminders <-> sync documents (the rules are in docs.ts).
// Used by store.ts, inside its transactions: records -> documents for the outbox, documents -> records
// for what came from elsewhere.
import type { CertRow as CertificationRow, CreditRow as CertCreditRow } from '../certifications/service';
import type { Db } from '../context';
import type { Row as FiredRow } from '../reminders/store';
import { docIdFor, type CertDoc, type CreditDoc, type ReminderDoc } from './docs';
import type { OutboxRow } from './store';

/** What store.ts keeps about which document each local row is. */
export interface SyncIds {
  /** Records that `docId` is this local row. */
  register(docId: string, kind: string, localId: number): void;
  /** The document id a local row is sent under (the smallest it answers to), or null if never sent. */
  known(kind: string, localId: number): string | null;
  /** The same, giving a row never sent an id made from this machine's (a deck). */
  idOf(kind: string, localId: number): string;
  /** The local row a document id was applied to or sent from. */
  local(docId: string, kind: string): number | null;
  /** Whether this collection has seen the document (applied it or sent it). */
  seen(docId: string): boolean;
}

/** A document that cannot be applied yet: the record it belongs to has not arrived. */
export interface Waits {
  waitsFor: string;
}

/** The rows as their own modules read them, with the GUID sync gave them. */
type CertRow = CertificationRow & { guid: string };
type CreditRow = CertCreditRow & { guid: string };
type ReminderRow = FiredRow & { group_key: string | null };

/** Reminder keys and groups name a certification by its local id: `cert:<id>:...`. */
const CERT_KEY = /^cert:([^:]+):/;
const CERT_TARGET = 'certification';

export function makeCertRecords(db: Db, ids: SyncIds) {
  const selectCert = db.prepare<[number], CertRow>('SELECT * FROM certifications WHERE id = ?');
  const selectCertByGuid = db.prepare<[string], { id: number }>('SELECT id FROM certifications WHERE guid = ?');
  const selectSameCert = db.prepare<[string, string], { id: number }>(
    "SELECT id FROM certifications WHERE catalog_id = ? AND label = ? AND catalog_id <> 'custom' ORDER BY id LIMIT 1",
  );
  const selectLinks = db.prepare<[number], { deck_id: number }>('SELECT deck_id FROM certification_decks WHERE certification_id = ? ORDER BY deck_id');
  const insertCert = db.prepare(
    `INSERT INTO certifications (guid, catalog_id, label, custom, earned_on, cycle_start, expires_override, credential_id, url,
        reminder_rules, study_cut, renewals, created_at, updated_at)
     VALUES (@guid, @catalog_id, @label, @custom, @earned_on, @cycle_start, @expires_override, @credential_id, @url,
        @reminder_rules, @study_cut, @renewals, @now, @now)`,
  );
  const updateCert = db.prepare(
    `UPDATE certifications SET catalog_id = @catalog_id, label = @label, custom = @custom, earned_on = @earned_on, cycle_start = @cycle_start,
        expires_override = @expires_override, credential_id = @credential_id, url = @url, reminder_rules = @reminder_rules,
        study_cut = @study_cut, renewals = @renewals, updated_at = @now
     WHERE id = @id`,
  );
  const deleteCert = db.prepare<[number]>('DELETE FROM certifications WHERE id = ?');
  const deleteCertReminders = db.prepare<[number]>(`DELETE FROM reminders WHERE target_kind = '${CERT_TARGET}' AND target_id = ?`);
  const unlinkAll = db.prepare<[number]>('DELETE FROM certification_decks WHERE certification_id = ?');
  const link = db.prepare<[number, number]>('INSERT OR IGNORE INTO certification_decks (certification_id, deck_id) SELECT ?, id FROM decks WHERE id = ?');

  const selectCredit = db.prepare<[number], CreditRow>('SELECT * FROM certification_credits WHERE id = ?');
  const selectCreditByGuid = db.prepare<[string], { id: number }>('SELECT id FROM certification_credits WHERE guid = ?');
  const insertCredit = db.prepare(
    `INSERT INTO certification_credits (guid, certification_id, earned_on, started_on, units, category, provider, activity, note, origin, used_at, created_at, updated_at)
     VALUES (@guid, @certification_id, @earned_on, @started_on, @units, @category, @provider, @activity, @note, @origin, @used_at, @now, @now)`,
  );
  const updateCredit = db.prepare(
    `UPDATE certification_credits SET certification_id = @certification_id, earned_on = @earned_on, started_on = @started_on, units = @units,
        category = @category, provider = @provider, activity = @activity, note = @note, origin = @origin, used_at = @used_at, updated_at = @now
     WHERE id = @id`,
  );
  const deleteCredit = db.prepare<[number]>('DELETE FROM certification_credits WHERE id = ?');
  const selectEvidence = db.prepare<[number], { file_name: string; media_name: string; kind: 'pdf' | 'image'; size_bytes: number; added_at: number }>(
    'SELECT file_name, media_name, kind, size_bytes, added_at FROM credit_evidence WHERE credit_id = ? ORDER BY added_at, id',
  );
  const deleteEvidence = db.prepare<[number]>('DELETE FROM credit_evidence WHERE credit_id = ?');
  const insertEvidence = db.prepare<[number, string, string, string, number, number]>(
    'INSERT INTO credit_evidence (credit_id, file_name, media_name, kind, size_bytes, added_at) VALUES (?, ?, ?, ?, ?, ?)',
  );

  const selectReminder = db.prepare<[number], ReminderRow>('SELECT * FROM reminders WHERE id = ?');
  const selectReminderByKey = db.prepare<[string, string], { id: number }>('SELECT id FROM reminders WHERE source = ? AND key = ?');
  const insertReminder = db.prepare(
    `INSERT INTO reminders (source, key, group_key, target_kind, target_id, title, body, due_at, fired_at, notified_at, superseded, snoozed_until, dismissed_at)
     VALUES (@source, @key, @group_key, @target_kind, @target_id, @title, @body, @due_at, @fired_at, @now, @superseded, @snoozed_until, @dismissed_at)`,
  );
  const updateReminder = db.prepare<[number, number | null, number | null, number, number]>(
    'UPDATE reminders SET fired_at = ?, dismissed_at = ?, snoozed_until = ?, superseded = ? WHERE id = ?',
  );

  /** The certification's document id: its own GUID, or the smaller id of one it was merged with. */
  function certDocId(cert: { id: number; guid: string }): string {
    ids.register(docIdFor('cert', cert.guid), 'cert', cert.id);
    return ids.known('cert', cert.id)!;
  }

  function certDocIdOf(localId: number): string | null {
    const cert = selectCert.get(localId);
    return cert ? certDocId(cert) : null;
  }

  function certLocal(docId: string): number | null {
    const mapped = ids.local(docId, 'cert');
    if (mapped !== null && selectCert.get(mapped)) return mapped;
    return selectCertByGuid.get(docId.slice('cert:'.length))?.id ?? null;
  }

  /** Where the record a document belongs to stands here: a local id, gone (deleted), or not arrived. */
  function certHere(docId: string): number | 'gone' | Waits {
    const local = certLocal(docId);
    if (local !== null) return local;
    return ids.seen(docId) ? 'gone' : { waitsFor: docId };
  }

  /** A reminder key (or group) with its certification's local id replaced by the certification's document key. */
  function globalKey(key: string): string | null {
    const m = CERT_KEY.exec(key);
    if (!m) return key;
    const docId = certDocIdOf(Number(m[1]));
    return docId === null ? null : key.replace(CERT_KEY, `${docId}:`);
  }

  function localKey(key: string): string | null {
    const m = CERT_KEY.exec(key);
    if (!m) return key;
    const local = certLocal(`cert:${m[1]}`);
    return local === null ? null : key.replace(CERT_KEY, `cert:${local}:`);
  }

  function certDoc(row: OutboxRow, device: string, now: number): { docId: string; body: CertDoc } | null {
    const cert = selectCert.get(row.local_id);
    if (!cert) {
      const docId = ids.known('cert', row.local_id);
      if (!docId) return null;
      const body: CertDoc = {
        type: 'cert', catalogId: '', label: '', custom: null, earnedOn: '', cycleStart: '', expiresOverride: null, credentialId: '',
        url: null, reminderRules: null, studyCut: null, renewals: 0, decks: [], deleted: true, editedAt: row.changed_at || now, device,
      };
      return { docId, body };
    }
    const body: CertDoc = {
      type: 'cert',
      catalogId: cert.catalog_id,
      label: cert.label,
      custom: cert.custom === null ? null : (JSON.parse(cert.custom) as unknown),
      earnedOn: cert.earned_on,
      cycleStart: cert.cycle_start,
      expiresOverride: cert.expires_override,
      credentialId: cert.credential_id,
      url: cert.url,
      reminderRules: cert.reminder_rules === null ? null : (JSON.parse(cert.reminder_rules) as unknown),
      studyCut: cert.study_cut,
      renewals: cert.renewals,
      decks: selectLinks.all(cert.id).map((l) => ids.idOf('deck', l.deck_id)).sort(),
      editedAt: row.changed_at,
      device,
    };
    return { docId: certDocId(cert), body };
  }

  function creditDoc(row: OutboxRow, device: string, now: number): { docId: string; body: CreditDoc } | null {
    const credit = selectCredit.get(row.local_id);
    if (!credit) {
      const docId = ids.known('credit', row.local_id);
      if (!docId) return null;
      const body: CreditDoc = {
        type: 'credit', cert: '', earnedOn: '', startedOn: null, units: 0, category: '', provider: '', activity: '', note: '',
        origin: 'manual', usedAt: null, deleted: true, editedAt: row.changed_at || now, device,
      };
      return { docId, body };
    }
    const cert = certDocIdOf(credit.certification_id);
    if (cert === null) return null;
    const docId = docIdFor('credit', credit.guid);
    ids.register(docId, 'credit', credit.id);
    const body: CreditDoc = {
      type: 'credit',
      cert,
      earnedOn: credit.earned_on,
      startedOn: credit.started_on,
      units: credit.units,
      category: credit.category,
      provider: credit.provider,
      activity: credit.activity,
      note: credit.note,
      origin: credit.origin,
      usedAt: credit.used_at,
      evidence: selectEvidence.all(credit.id).map((e) => ({ fileName: e.file_name, media: e.media_name, kind: e.kind, size: e.size_bytes, addedAt: e.added_at })),
      editedAt: row.changed_at || now,
      device,
    };
    return { docId, body };
  }

  function reminderDoc(row: OutboxRow, device: string, now: number): { docId: string; body: ReminderDoc } | null {
    const r = selectReminder.get(row.local_id);
    if (!r) return null; // gone with the certification it was about: that deletion says it
    const key = globalKey(r.key);
    const group = r.group_key === null ? null : globalKey(r.group_key);
    const target = r.target_kind === CERT_TARGET ? certDocIdOf(r.target_id) : String(r.target_id);
    if (key === null || target === null) return null;
    // Named by what it reminds of, so the same reminder fired on two machines is one document.
    const docId = docIdFor('reminder', `${r.source}:${key}`);
    ids.register(docId, 'reminder', r.id);
    const body: ReminderDoc = {
      type: 'reminder',
      source: r.source,
      key,
      group,
      targetKind: r.target_kind,
      target,
      title: r.title,
      text: r.body,
      dueAt: r.due_at,
      firedAt: r.fired_at,
      dismissedAt: r.dismissed_at,
      snoozedUntil: r.snoozed_until,
      superseded: r.superseded === 1,
      editedAt: row.changed_at || now,
      device,
    };
    return { docId, body };
  }

  /** Document ids a body needs that are not here yet. */
  function missingRefs(body: CertDoc | CreditDoc | ReminderDoc): string[] {
    const refs = body.type === 'credit' ? [body.cert] : body.type === 'reminder' && body.targetKind === CERT_TARGET ? [body.target] : [];
    return refs.filter((id) => certLocal(id) === null);
  }

  function applyCert(docId: string, body: CertDoc, now: number): void {
    const local = certLocal(docId);
    if (body.deleted) {
      if (local !== null) {
        deleteCert.run(local);
        deleteCertReminders.run(local);
      }
      return;
    }
    const values = {
      catalog_id: body.catalogId,
      label: body.label,
      custom: body.custom === null ? null : JSON.stringify(body.custom),
      earned_on: body.earnedOn,
      cycle_start: body.cycleStart,
      expires_override: body.expiresOverride,
      credential_id: body.credentialId,
      url: body.url,
      reminder_rules: body.reminderRules === null ? null : JSON.stringify(body.reminderRules),
      study_cut: body.studyCut,
      renewals: body.renewals,
      now,
    };
    let id = local;
    if (id !== null) updateCert.run({ ...values, id });
    else {
      // The same catalog certification (and label) added on two machines before they synced: one certification.
      id = selectSameCert.get(body.catalogId, body.label)?.id ?? null;
      if (id !== null) updateCert.run({ ...values, id });
      else id = Number(insertCert.run({ ...values, guid: docId.slice('cert:'.length) }).lastInsertRowid);
    }
    ids.register(docId, 'cert', id);
    unlinkAll.run(id);
    for (const deck of body.decks) {
      const deckId = ids.local(deck, 'deck');
      if (deckId !== null) link.run(id, deckId);
    }
  }

  function applyCredit(docId: string, body: CreditDoc, now: number): Waits | void {
    const guid = docId.slice('credit:'.length);
    const local = ids.local(docId, 'credit') ?? selectCreditByGuid.get(guid)?.id ?? null;
    if (body.deleted) {
      if (local !== null) deleteCredit.run(local);
      return;
    }
    const cert = certHere(body.cert);
    if (cert === 'gone') return; // deleted with its certification
    if (typeof cert !== 'number') return cert;
    const values = {
      certification_id: cert,
      earned_on: body.earnedOn,
      started_on: body.startedOn,
      units: body.units,
      category: body.category,
      provider: body.provider,
      activity: body.activity,
      note: body.note,
      origin: body.origin,
      used_at: body.usedAt,
      now,
    };
    const exists = local !== null && selectCredit.get(local);
    const id = exists ? (updateCredit.run({ ...values, id: local }), local) : Number(insertCredit.run({ ...values, guid }).lastInsertRowid);
    ids.register(docId, 'credit', id);
    // Absent from documents of Cadence versions before evidence synced: the files here stay.
    if (body.evidence) {
      deleteEvidence.run(id);
      for (const e of body.evidence) {
        if (!/^[0-9a-f]{64}\.[a-z0-9]{1,10}$/.test(e.media) || (e.kind !== 'pdf' && e.kind !== 'image')) continue; // only content names, never a path
        insertEvidence.run(id, e.fileName, e.media, e.kind, e.size, e.addedAt);
      }
    }
  }

  /**
   * A reminder fired elsewhere: recorded here as fired (so it never fires here), with its inbox state.
   * It was announced where it fired, so it is not announced again here.
   */
  function applyReminder(docId: string, body: ReminderDoc, now: number): Waits | void {
    let targetId: number;
    if (body.targetKind === CERT_TARGET) {
      const cert = certHere(body.target);
      if (cert === 'gone') return;
      if (typeof cert !== 'number') return cert;
      targetId = cert;
    } else targetId = Number(body.target);
    const key = localKey(body.key);
    if (key === null) return;
    const group = body.group === null ? null : localKey(body.group);
    const here = selectReminderByKey.get(body.source, key);
    const superseded = body.superseded ? 1 : 0;
    let id: number;
    if (here) {
      updateReminder.run(body.firedAt, body.dismissedAt, body.snoozedUntil, superseded, here.id);
      id = here.id;
    } else {
      id = Number(
        insertReminder.run({
          source: body.source,
          key,
          group_key: group,
          target_kind: body.targetKind,
          target_id: targetId,
          title: body.title,
          body: body.text,
          due_at: body.dueAt,
          fired_at: body.firedAt,
          now,
          superseded,
          snoozed_until: body.snoozedUntil,
          dismissed_at: body.dismissedAt,
        }).lastInsertRowid,
      );
    }
    ids.register(docId, 'reminder', id);
  }

  return { certDoc, creditDoc, reminderDoc, missingRefs, applyCert, applyCredit, applyReminder, certHere };
}
export type CertRecords = ReturnType<typeof makeCertRecords>;
