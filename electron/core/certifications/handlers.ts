import type { certificationsChannels, ReminderRules } from '../../../shared/contract/certifications';
import { DEFAULT_REMINDER_RULES } from '../../../shared/contract/certifications';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { writeExport } from '../files';
import type { HandlersOf } from '../handlerTypes';
import {
  dismissAllReminders,
  dismissReminder,
  dismissRemindersFor,
  reminderInbox,
  removeRemindersFor,
  snoozeReminder,
  startupCatchUp,
} from '../reminders';
import { CUSTOM_ID } from './catalog';
import { localDate, localInstant, longDate } from './dates';
import { buildCalendar } from './calendar';
import { disputedExpiryNotice } from './disputedExpiry';
import { certService, toRecord, type CertRow } from './service';
import { studyDays } from './studyTime';
import { checkCategory, checkCreditDate, checkDayTotal, checkEarnedOn, checkExpiry, checkSpan } from './validate';
import { auditPack, creditsCsv } from './auditExport';
import { discardStaged, stagedPath } from '../files';
import fs from 'node:fs';
import { evaluateCredits } from './rules';
import './source';

function bad(message: string): never {
  throw new AppError('invalid_input', message);
}

const target = (id: number) => ({ kind: 'certification', id });

export function makeCertificationsHandlers(ctx: CoreContext): HandlersOf<typeof certificationsChannels> {
  const { db } = ctx;
  const svc = certService(ctx);

  const insertCert = db.prepare(
    `INSERT INTO certifications (catalog_id, label, custom, earned_on, cycle_start, expires_override, credential_id, url, created_at, updated_at)
     VALUES (@catalogId, @label, @custom, @earnedOn, @earnedOn, @expiresOn, @credentialId, @url, @now, @now)`,
  );
  const sameCert = db.prepare<[string, string], { id: number }>('SELECT id FROM certifications WHERE catalog_id = ? AND label = ?');
  const updateCert = db.prepare(
    `UPDATE certifications SET label = @label, custom = @custom, earned_on = @earnedOn, cycle_start = @cycleStart,
       expires_override = @expiresOn, credential_id = @credentialId, url = @url, updated_at = @now WHERE id = @id`,
  );
  const deleteCert = db.prepare<[number]>('DELETE FROM certifications WHERE id = ?');
  const renewCert = db.prepare<[string, number, number]>(
    'UPDATE certifications SET cycle_start = ?, expires_override = NULL, renewals = renewals + 1, study_cut = NULL, updated_at = ? WHERE id = ?',
  );
  const setRules = db.prepare<[string | null, number, number]>('UPDATE certifications SET reminder_rules = ?, updated_at = ? WHERE id = ?');
  const setStudyCut = db.prepare<[number, number, number]>('UPDATE certifications SET study_cut = ?, updated_at = ? WHERE id = ?');
  const insertCredit = db.prepare(
    `INSERT INTO certification_credits (certification_id, earned_on, started_on, units, category, provider, activity, note, origin, created_at, updated_at)
     VALUES (@certificationId, @date, @startedOn, @units, @category, @provider, @activity, @note, @origin, @now, @now)`,
  );
  const updateCredit = db.prepare(
    `UPDATE certification_credits SET earned_on = @date, started_on = @startedOn, units = @units, category = @category, provider = @provider,
       activity = @activity, note = @note, updated_at = @now
     WHERE id = @id`,
  );
  const deleteCredit = db.prepare<[number]>('DELETE FROM certification_credits WHERE id = ?');
  const markUsed = db.prepare<[number, number]>('UPDATE certification_credits SET used_at = ? WHERE id = ? AND used_at IS NULL');
  const unlinkAll = db.prepare<[number]>('DELETE FROM certification_decks WHERE certification_id = ?');
  const link = db.prepare<[number, number]>('INSERT OR IGNORE INTO certification_decks (certification_id, deck_id) VALUES (?, ?)');
  const deckExists = db.prepare<[number], { id: number }>('SELECT id FROM decks WHERE id = ?');

  // Reminders that came due while Cadence was closed: summarised once, now that the collection is open.
  try {
    startupCatchUp(ctx);
    const disputed = disputedExpiryNotice(ctx);
    if (disputed) ctx.notices.push({ level: 'warning', message: disputed });
  } catch (err) {
    ctx.log.error('Could not check reminders at startup', err);
  }

  const now = () => ctx.clock.now();
  const today = () => localDate(now());
  const changed = () => ctx.emit('data.changed', { topics: ['certifications', 'reminders'] });

  /** Units already logged on `date` in the pool the credit would join (excluding one entry being edited). */
  function loggedThatDay(row: CertRow, date: string, exceptCreditId?: number): number {
    const snap = svc.snapshot();
    const pool = svc.poolOf(snap, row, svc.rulesFor(row));
    return pool.filter((c) => c.earned_on === date && c.id !== exceptCreditId).reduce((sum, c) => sum + c.units, 0);
  }

  return {
    'certs.catalog': () => ({
      bodies: svc.catalog.file.bodies,
      entries: svc.catalog.file.certifications,
      defaultReminderRules: DEFAULT_REMINDER_RULES,
    }),

    'certs.list': () => svc.list(),

    'certs.get': ({ id }) => svc.detail(id),

    'certs.add': (input) => {
      const isCustom = input.catalogId === CUSTOM_ID;
      if (isCustom && !input.custom) bad('Describe the certification: its name, abbreviation and how many years it lasts.');
      if (!isCustom && input.custom) bad('Only a certification you describe yourself (Custom) takes its own rules.');
      if (!isCustom && !svc.catalog.entry(input.catalogId)) bad(`“${input.catalogId}” is not in the catalog; choose one from the list or add a custom certification.`);
      const custom = isCustom ? JSON.stringify(input.custom) : null;
      const rules = svc.rulesFor({ catalog_id: input.catalogId, custom });
      checkEarnedOn(input.earnedOn, today());
      checkExpiry(rules, input.earnedOn, input.expiresOn, today());
      if (!isCustom && sameCert.get(input.catalogId, input.label)) {
        throw new AppError('conflict', `You already track ${rules.entry.abbreviation}${input.label ? ` (${input.label})` : ''}. Edit it instead, or give this one a different label.`);
      }
      const result = insertCert.run({
        catalogId: input.catalogId,
        label: input.label,
        custom,
        earnedOn: input.earnedOn,
        expiresOn: input.expiresOn,
        credentialId: input.credentialId,
        url: input.url,
        now: now(),
      });
      changed();
      return svc.detail(Number(result.lastInsertRowid));
    },

    'certs.update': (input) => {
      const row = svc.requireRow(input.id);
      const isCustom = row.catalog_id === CUSTOM_ID;
      if (input.custom && !isCustom) bad('Only a certification you describe yourself (Custom) takes its own rules.');
      const custom = input.custom ? JSON.stringify(input.custom) : row.custom;
      const earnedOn = input.earnedOn ?? row.earned_on;
      const expiresOn = input.expiresOn === undefined ? row.expires_override : input.expiresOn;
      const rules = svc.rulesFor({ catalog_id: row.catalog_id, custom });
      checkEarnedOn(earnedOn, today());
      checkExpiry(rules, earnedOn, expiresOn, today());
      // Before any renewal the cycle starts when it was earned; after one, the earned date cannot move past it.
      const cycleStart = row.renewals === 0 ? earnedOn : row.cycle_start;
      if (earnedOn > cycleStart) bad(`The earned date must not be after the start of the current cycle (${longDate(cycleStart)}).`);
      const label = input.label ?? row.label;
      const clash = isCustom ? undefined : sameCert.get(row.catalog_id, label);
      if (clash && clash.id !== row.id) throw new AppError('conflict', `You already track ${rules.entry.abbreviation} with the label "${label}".`);
      const datesChanged = earnedOn !== row.earned_on || expiresOn !== row.expires_override || custom !== row.custom;
      db.transaction(() => {
        updateCert.run({
          id: row.id,
          label,
          custom,
          earnedOn,
          cycleStart,
          expiresOn,
          credentialId: input.credentialId ?? row.credential_id,
          url: input.url === undefined ? row.url : input.url,
          now: now(),
        });
        // Reminders already in the inbox speak of the old dates.
        if (datesChanged) dismissRemindersFor(ctx, target(row.id));
      })();
      changed();
      return svc.detail(row.id);
    },

    'certs.remove': ({ id }) => {
      svc.requireRow(id);
      db.transaction(() => {
        deleteCert.run(id);
        removeRemindersFor(ctx, target(id));
      })();
      changed();
      return { ok: true as const };
    },

    'certs.renew': ({ id }) => {
      const snap = svc.snapshot();
      const row = svc.requireRow(id);
      const c = svc.compute(snap, row);
      const { entry, body } = c.rules;
      if (c.status.status === 'lifetime') bad(`${entry.abbreviation} does not expire; there is nothing to renew.`);
      if (!c.dates.expiresOn || entry.validityYears === null) {
        bad(`The renewal rule of ${entry.abbreviation} is not confirmed: enter the new expiry date from your certificate instead.`);
      }
      if (c.status.status === 'expired') {
        bad(`${entry.abbreviation} expired on ${longDate(c.dates.expiresOn)}. Once you have it again, edit its earned date.`);
      }
      // Scrum Alliance: one renewal covers every certification the user holds there.
      const computed = snap.rows.map((r) => svc.compute(snap, r));
      const combined = body.combinedRenewal ? svc.combinedFor(snap, computed, body.id) : null;
      const members = combined?.members.some((m) => m.row.id === id) ? combined.members : [c];
      const used = combined && members.length > 1 ? evaluateCredits(c.pool.map(toRecord), combined.window, body.dailyCap) : c.verdicts;
      const stamp = now();
      db.transaction(() => {
        for (const m of members) {
          renewCert.run(m.dates.expiresOn!, stamp, m.row.id);
          dismissRemindersFor(ctx, target(m.row.id));
        }
        for (const [creditId, verdict] of used) if (verdict.counted > 0) markUsed.run(stamp, creditId);
      })();
      changed();
      const after = svc.list().certifications;
      return {
        renewed: members.map((m) => {
          const s = after.find((x) => x.id === m.row.id)!;
          return { id: s.id, abbreviation: s.abbreviation, expiresOn: s.expiresOn ?? '' };
        }),
      };
    },

    'certs.linkDecks': ({ id, deckIds }) => {
      svc.requireRow(id);
      for (const deckId of deckIds) {
        if (!deckExists.get(deckId)) throw new AppError('not_found', 'One of the chosen decks no longer exists; choose the decks again.');
      }
      db.transaction(() => {
        unlinkAll.run(id);
        for (const deckId of deckIds) link.run(id, deckId);
      })();
      changed();
      return svc.detail(id);
    },

    'certs.setReminderRules': ({ id, rules }) => {
      svc.requireRow(id);
      const normalised: ReminderRules | null = rules ? { ...rules, daysBefore: [...rules.daysBefore].sort((a, b) => b - a) } : null;
      setRules.run(normalised ? JSON.stringify(normalised) : null, now(), id);
      changed();
      return svc.detail(id);
    },

    'credits.add': (input) => {
      const row = svc.requireRow(input.certificationId);
      const rules = svc.rulesFor(row);
      checkCategory(rules, input.category);
      checkCreditDate(input.date, today());
      checkSpan(rules.body, input.startedOn, input.date, input.units);
      if (!input.startedOn) checkDayTotal(rules.body, input.date, loggedThatDay(row, input.date), input.units);
      insertCredit.run({ ...input, origin: 'manual', now: now() });
      changed();
      return svc.detail(row.id);
    },

    'credits.update': (input) => {
      const credit = svc.credit(input.id);
      if (!credit) throw new AppError('not_found', 'That credit entry no longer exists.');
      if (credit.used_at !== null) throw new AppError('conflict', 'That entry was counted for a renewal you recorded; it can no longer be changed.');
      const row = svc.requireRow(credit.certification_id);
      const rules = svc.rulesFor(row);
      checkCategory(rules, input.category);
      checkCreditDate(input.date, today());
      checkSpan(rules.body, input.startedOn, input.date, input.units);
      if (!input.startedOn) checkDayTotal(rules.body, input.date, loggedThatDay(row, input.date, credit.id), input.units);
      updateCredit.run({ ...input, now: now() });
      changed();
      return svc.detail(row.id);
    },

    'credits.remove': ({ id }) => {
      const credit = svc.credit(id);
      if (!credit) throw new AppError('not_found', 'That credit entry no longer exists.');
      deleteCredit.run(id);
      changed();
      return svc.detail(credit.certification_id);
    },

    'credits.attach': ({ creditId, stagedId, fileName }) => {
      const credit = svc.credit(creditId);
      if (!credit) throw new AppError('not_found', 'That credit entry no longer exists.');
      const bytes = fs.readFileSync(stagedPath(ctx.paths, stagedId));
      try {
        svc.evidence.attach(ctx.paths.mediaDir, credit.id, fileName, bytes, now());
      } finally {
        discardStaged(ctx.paths, stagedId);
      }
      changed();
      return svc.detail(credit.certification_id);
    },

    'credits.detach': ({ evidenceId }) => {
      const row = svc.evidence.get(evidenceId);
      const credit = svc.credit(row.credit_id)!;
      svc.evidence.detach(evidenceId);
      changed();
      return svc.detail(credit.certification_id);
    },

    'credits.evidenceFile': ({ evidenceId }) => {
      const row = svc.evidence.get(evidenceId);
      const { downloadName } = writeExport(ctx.paths, row.file_name, svc.evidence.read(ctx.paths.mediaDir, row));
      return { downloadName, fileName: row.file_name };
    },

    'credits.exportCsv': ({ certificationId }) => {
      const cert = svc.detail(certificationId);
      const fileName = `${cert.abbreviation}-credits-${today()}.csv`;
      const { downloadName } = writeExport(ctx.paths, fileName, creditsCsv(cert, cert.credits));
      return { downloadName, fileName: downloadName.replace(/^[a-f0-9]{12}-/, ''), rows: cert.credits.length };
    },

    'credits.auditPack': ({ certificationId }) => {
      const cert = svc.detail(certificationId);
      const pack = auditPack(cert, today(), (evidenceId) => svc.evidence.read(ctx.paths.mediaDir, svc.evidence.get(evidenceId)));
      if (pack.credits === 0) {
        throw new AppError('not_found', `No ${cert.unit.plural} are logged for this renewal cycle of ${cert.abbreviation} yet, so there is nothing to put in an audit pack.`);
      }
      const window = cert.progress ? `${cert.progress.windowFrom}-to-${cert.progress.windowTo}` : today();
      const { downloadName } = writeExport(ctx.paths, `${cert.abbreviation}-audit-pack-${window}.zip`, pack.bytes);
      return { downloadName, fileName: downloadName.replace(/^[a-f0-9]{12}-/, ''), credits: pack.credits, evidenceFiles: pack.evidenceFiles };
    },

    'credits.acceptStudy': (input) => {
      const row = svc.requireRow(input.certificationId);
      const rules = svc.rulesFor(row);
      const from = Math.max(row.study_cut ?? 0, localInstant(row.cycle_start));
      if (input.until > now()) bad('That study time ends in the future; reload the page and try again.');
      if (input.until <= from) throw new AppError('conflict', 'That study time was already logged or dismissed.');
      const days = studyDays(db, row.id, from, input.until);
      const total = days.reduce((sum, d) => sum + d.units, 0);
      if (!days.length) throw new AppError('conflict', 'There is no study time to log.');
      const category = input.category ?? rules.body.studyCategory ?? '';
      checkCategory(rules, category);
      let chosen = days;
      if (input.units !== undefined) {
        if (input.units > total) bad(`You studied ${total} hours in the linked decks; enter at most that, and log other activities as their own entries.`);
        // Keep the most recent days: they are the likeliest to fall inside the renewal window.
        chosen = [];
        let left = input.units;
        for (const d of [...days].reverse()) {
          if (left <= 0) break;
          const take = Math.min(d.units, left);
          chosen.unshift({ date: d.date, units: take });
          left -= take;
        }
      }
      const deckNames = svc.detail(row.id).linkedDecks.map((d) => d.path).join(', ');
      db.transaction(() => {
        for (const d of chosen) {
          checkCreditDate(d.date, today());
          checkDayTotal(rules.body, d.date, loggedThatDay(row, d.date), d.units);
          insertCredit.run({
            certificationId: row.id,
            date: d.date,
            startedOn: null,
            units: d.units,
            category,
            provider: input.provider ?? 'Self-study (Cadence flashcards)',
            activity: 'Flashcard study',
            note: input.note ?? `Flashcard study in ${deckNames}`,
            origin: 'study',
            now: now(),
          });
        }
        setStudyCut.run(input.until, now(), row.id);
      })();
      changed();
      return svc.detail(row.id);
    },

    'credits.dismissStudy': ({ certificationId, until }) => {
      const row = svc.requireRow(certificationId);
      if (until > now()) bad('That study time ends in the future; reload the page and try again.');
      // The cut only moves forward: moving it back would offer study time already logged or dismissed again.
      if (until <= (row.study_cut ?? 0)) throw new AppError('conflict', 'That study time was already logged or dismissed.');
      setStudyCut.run(until, now(), certificationId);
      changed();
      return svc.detail(certificationId);
    },

    'certs.exportIcs': (input) => {
      const snap = svc.snapshot();
      const ids = input?.ids;
      for (const id of ids ?? []) svc.requireRow(id);
      const rows = ids ? snap.rows.filter((r) => ids.includes(r.id)) : snap.rows;
      const calendar = buildCalendar(rows.map((r) => svc.compute(snap, r)), now());
      if (!calendar.events) {
        throw new AppError('not_found', 'There are no renewal deadlines to export: none of these certifications has an upcoming expiry date.');
      }
      const fileName = 'cadence-renewals.ics';
      const { downloadName } = writeExport(ctx.paths, fileName, calendar.text);
      return { downloadName, fileName, events: calendar.events };
    },

    'reminders.inbox': () => reminderInbox(ctx),
    'reminders.snooze': ({ id, for: span }) => snoozeReminder(ctx, id, span),
    'reminders.dismiss': ({ id }) => {
      dismissReminder(ctx, id);
      return { ok: true as const };
    },
    'reminders.dismissAll': () => ({ dismissed: dismissAllReminders(ctx) }),
  };
}

