// One certification: facts, requirement progress, the Scrum Alliance combined renewal, study-time
// suggestion, credit log, reminder rules, and where the rules come from.
import { useState, type FormEvent } from 'react';
import type { CertDetail, CombinedRenewal, ReminderRules, StudySuggestion } from '../../../../shared/contract/certifications';
import { contract } from '../../../../shared/contract';
import { api } from '../../api';
import { dateTimeText } from '../../dates';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { ConfirmDialog, Dialog, ErrorMessage, FieldError, fieldProps, Loading, PageHeader, ProgressBar } from '../../components/ui';
import { useAction, useApi } from '../../hooks/useApi';
import { href, navigate } from '../../router';
import { CreditLog } from './CreditLog';
import { earnedOnProblem, feeLabel, longDate, NOT_CONFIRMED, STATUS_LABEL, statusTone, todayLocal, units } from './format';

function NotConfirmed() {
  return <span className="not-confirmed">{NOT_CONFIRMED}</span>;
}

function EditDialog({ cert, onDone }: { cert: CertDetail; onDone: () => void }) {
  const [earnedOn, setEarnedOn] = useState(cert.earnedOn);
  const [label, setLabel] = useState(cert.label);
  const [credentialId, setCredentialId] = useState(cert.credentialId);
  const [url, setUrl] = useState(cert.url ?? '');
  const [expiresOn, setExpiresOn] = useState(cert.expiryEdited ? (cert.expiresOn ?? '') : '');
  const fields = useFieldErrors();
  const problem = (key: string) => <FieldError id={`edit-cert-${key}-error`} error={fields.errors[key]} />;
  const tie = (key: string) => fieldProps(`edit-cert-${key}-error`, fields.errors[key]);
  const save = useAction(async () => {
    const input = fields.check(contract['certs.update'].input, { id: cert.id, earnedOn, label, credentialId, url: url.trim() ? url.trim() : null, expiresOn: expiresOn || null });
    const earnedProblem = earnedOnProblem(earnedOn);
    if (earnedProblem) fields.setErrors((errors) => ({ ...errors, earnedOn: earnedProblem }));
    if (!input || earnedProblem) return;
    await api['certs.update'](input);
    onDone();
  });
  return (
    <Dialog
      open
      title={`Edit ${cert.abbreviation}`}
      onClose={onDone}
      actions={
        <>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" form="edit-cert" className="primary" disabled={save.busy}>
            Save
          </button>
        </>
      }
    >
      <form
        ref={fields.form}
        id="edit-cert"
        className="settings-section"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <label className="stacked">
          <span>Earned on</span>
          <input type="date" value={earnedOn} max={todayLocal()} onChange={(e) => setEarnedOn(e.target.value)} {...tie('earnedOn')} />
          {problem('earnedOn')}
        </label>
        <label className="stacked">
          <span>Your label</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={60} {...tie('label')} />
          {problem('label')}
        </label>
        <label className="stacked">
          <span>Credential ID</span>
          <input value={credentialId} onChange={(e) => setCredentialId(e.target.value)} maxLength={120} {...tie('credentialId')} />
          {problem('credentialId')}
        </label>
        <label className="stacked">
          <span>Certificate or badge address (https)</span>
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} {...tie('url')} />
          {problem('url')}
        </label>
        {cert.status !== 'lifetime' ? (
          <label className="stacked">
            <span>Expiry date on your certificate</span>
            <input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} {...tie('expiresOn')} />
            {problem('expiresOn')}
            <small className="muted">
              {cert.computedExpiresOn ? `Empty: use the date the rule gives (${longDate(cert.computedExpiresOn)}).` : 'Empty: no expiry date.'}
            </small>
          </label>
        ) : null}
      </form>
      <ErrorMessage error={save.error} />
    </Dialog>
  );
}

function Facts({ cert }: { cert: CertDetail }) {
  return (
    <section className="card" aria-labelledby="facts-heading">
      <h2 id="facts-heading">Details</h2>
      <dl className="facts">
        <dt>Issued by</dt>
        <dd>{cert.catalog.bodyWebsite ? <a href={cert.catalog.bodyWebsite} target="_blank" rel="noreferrer">{cert.bodyName}</a> : cert.bodyName}</dd>
        <dt>Earned on</dt>
        <dd>{longDate(cert.earnedOn)}</dd>
        {cert.renewals > 0 ? (
          <>
            <dt>Current cycle</dt>
            <dd>
              since {longDate(cert.cycleStart)} ({cert.renewals} {cert.renewals === 1 ? 'renewal' : 'renewals'} recorded)
            </dd>
          </>
        ) : null}
        <dt>Expires</dt>
        <dd>
          {cert.status === 'lifetime' ? 'Never' : cert.expiresOn ? longDate(cert.expiresOn) : <NotConfirmed />}
          {cert.expiryEdited && cert.computedExpiresOn ? (
            <span className="muted small block">Your date; the rule gives {longDate(cert.computedExpiresOn)}.</span>
          ) : null}
        </dd>
        {cert.status !== 'lifetime' ? (
          <>
            <dt>After expiry</dt>
            <dd>{cert.catalog.graceText || '—'}</dd>
            <dt>Renewal fee</dt>
            <dd>{cert.feeUsd === null ? <NotConfirmed /> : feeLabel(cert.feeUsd)}</dd>
          </>
        ) : null}
        <dt>Credential ID</dt>
        <dd>{cert.credentialId || <span className="muted">—</span>}</dd>
        {cert.url ? (
          <>
            <dt>Certificate</dt>
            <dd>
              <a href={cert.url} target="_blank" rel="noreferrer">
                {cert.url}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

function Requirements({ cert }: { cert: CertDetail }) {
  const p = cert.progress;
  if (!p) return null;
  return (
    <section className="card" aria-labelledby="req-heading">
      <h2 id="req-heading">This renewal</h2>
      {cert.shortfallText ? <p className="shortfall">{cert.shortfallText}</p> : null}
      {p.required === null ? (
        <p>
          How many {cert.unit.plural} renewal needs is <NotConfirmed />. {units(p.counted)} logged so far.
        </p>
      ) : (
        p.lines.map((line) => (
          <div className="requirement" key={`${line.kind}-${line.label}`}>
            <div className="requirement-label">
              <strong>{line.kind === 'cap' ? `${line.label} (at most)` : line.kind === 'minimum' ? `${line.label} (at least)` : `${cert.unit.plural}`}</strong>
              <span>{line.text}</span>
            </div>
            <ProgressBar
              value={Math.min(line.value, line.target)}
              max={line.target}
              label={`${line.kind === 'total' ? cert.unit.plural : line.label}: ${line.text}`}
              tone={line.kind === 'cap' ? (line.met ? undefined : 'warn') : line.met ? 'ok' : undefined}
            />
          </div>
        ))
      )}
      {p.reasons.length && p.required !== null ? (
        <ul className="reasons" aria-label="Not renewable yet because">
          {p.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      {p.windowText ? <p className="muted small window-text">{p.windowText}</p> : null}
    </section>
  );
}

function Combined({ combined }: { combined: CombinedRenewal }) {
  return (
    <section className="card" aria-labelledby="combined-heading">
      <h2 id="combined-heading">One {combined.bodyName} renewal for all</h2>
      <p className="shortfall">{combined.text}</p>
      <ProgressBar
        value={Math.min(combined.counted, combined.creditsRequired)}
        max={combined.creditsRequired}
        label={`Combined renewal: ${units(combined.counted)} of ${units(combined.creditsRequired)}`}
        tone={combined.renewable ? 'ok' : undefined}
      />
      <ul className="plain-list small">
        {combined.certifications.map((c) => (
          <li key={c.id}>
            <a href={href('certifications', { id: String(c.id) })}>{c.abbreviation}</a>: {c.role}
          </li>
        ))}
      </ul>
    </section>
  );
}

function StudyCard({ cert, suggestion }: { cert: CertDetail; suggestion: StudySuggestion | null }) {
  const [linking, setLinking] = useState(false);
  const [editing, setEditing] = useState(false);
  const accept = useAction(() => api['credits.acceptStudy']({ certificationId: cert.id, until: suggestion!.until }));
  const dismiss = useAction(() => api['credits.dismissStudy']({ certificationId: cert.id, until: suggestion!.until }));
  if (cert.catalog.categories.length === 0 || cert.status === 'lifetime') return null;
  return (
    <section className={`card ${suggestion ? 'suggestion' : ''}`} aria-labelledby="study-heading">
      <h2 id="study-heading">Study time</h2>
      {suggestion ? (
        <>
          <p>{suggestion.text}</p>
          <div className="button-row">
            <button type="button" className="primary" disabled={accept.busy} onClick={() => void accept.run()}>
              Log {units(suggestion.units)} {suggestion.units === 1 ? cert.unit.singular : cert.unit.plural}
            </button>
            <button type="button" onClick={() => setEditing(true)}>
              Edit first…
            </button>
            <button type="button" disabled={dismiss.busy} onClick={() => void dismiss.run()}>
              Dismiss
            </button>
          </div>
        </>
      ) : (
        <p className="muted">
          {!cert.linkedDecks.length
            ? `Link the decks you study for ${cert.abbreviation}: time spent on them is offered here as ${cert.unit.plural} (1 hour = 1).`
            : cert.studyLoggedUntil
              ? `No study time in the linked decks since you last logged or dismissed it (${dateTimeText(cert.studyLoggedUntil)}).`
              : `No study time in the linked decks yet this cycle. Time you spend studying them will be offered here as ${cert.unit.plural}.`}
        </p>
      )}
      <p className="small">
        Linked decks: {cert.linkedDecks.length ? cert.linkedDecks.map((d) => d.path).join(', ') : <span className="muted">none</span>}{' '}
        <button type="button" className="link" onClick={() => setLinking(true)}>
          Choose decks
        </button>
      </p>
      <ErrorMessage error={accept.error ?? dismiss.error} />
      {linking ? <LinkDecksDialog cert={cert} onDone={() => setLinking(false)} /> : null}
      {editing && suggestion ? <AcceptStudyDialog cert={cert} suggestion={suggestion} onDone={() => setEditing(false)} /> : null}
    </section>
  );
}

function AcceptStudyDialog({ cert, suggestion, onDone }: { cert: CertDetail; suggestion: StudySuggestion; onDone: () => void }) {
  const [amount, setAmount] = useState(String(suggestion.units));
  const [category, setCategory] = useState(suggestion.category);
  const [provider, setProvider] = useState('Self-study (Cadence flashcards)');
  const fields = useFieldErrors();
  const save = useAction(async () => {
    const input = fields.check(contract['credits.acceptStudy'].input, { certificationId: cert.id, until: suggestion.until, units: Number(amount), category, provider });
    // Empty, out of range or not in quarter hours: one sentence in the form's words.
    const n = Number(amount);
    const amountProblem =
      amount.trim() === '' || !(n > 0 && n <= suggestion.units && Number.isInteger(n * 4))
        ? `Enter the ${cert.unit.plural} to log, from 0.25 to ${units(suggestion.units)} in steps of 0.25, e.g. ${units(suggestion.units)}.`
        : undefined;
    if (amountProblem) fields.setErrors((errors) => ({ ...errors, units: amountProblem }));
    if (!input || amountProblem) return;
    await api['credits.acceptStudy'](input);
    onDone();
  });
  return (
    <Dialog
      open
      title="Log study time"
      onClose={onDone}
      actions={
        <>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" form="accept-study" className="primary" disabled={save.busy}>
            Log it
          </button>
        </>
      }
    >
      <form
        ref={fields.form}
        id="accept-study"
        className="settings-section"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <p className="muted small">
          Studied: {suggestion.days.map((d) => `${longDate(d.date)} ${units(d.units)} h`).join(', ')}. A smaller amount keeps the most recent days.
        </p>
        <label className="stacked">
          <span>{cert.unit.plural}</span>
          <input type="number" min={0.25} max={suggestion.units} step={0.25} value={amount} onChange={(e) => setAmount(e.target.value)} {...fieldProps('accept-units-error', fields.errors.units)} />
          <FieldError id="accept-units-error" error={fields.errors.units} />
        </label>
        <label className="stacked">
          <span>Category</span>
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            {cert.catalog.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label className="stacked">
          <span>Provider</span>
          <input value={provider} onChange={(e) => setProvider(e.target.value)} maxLength={200} {...fieldProps('accept-provider-error', fields.errors.provider)} />
          <FieldError id="accept-provider-error" error={fields.errors.provider} />
        </label>
      </form>
      <ErrorMessage error={save.error} />
    </Dialog>
  );
}

function LinkDecksDialog({ cert, onDone }: { cert: CertDetail; onDone: () => void }) {
  const decks = useApi('decks.list', undefined, ['decks']);
  const [chosen, setChosen] = useState(() => new Set(cert.linkedDecks.map((d) => d.id)));
  const save = useAction(async () => {
    await api['certs.linkDecks']({ id: cert.id, deckIds: [...chosen] });
    onDone();
  });
  const toggle = (id: number) =>
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  return (
    <Dialog
      open
      title={`Decks you study for ${cert.abbreviation}`}
      onClose={onDone}
      actions={
        <>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={save.busy} onClick={() => void save.run()}>
            Save
          </button>
        </>
      }
    >
      <p className="muted small">A deck's subdecks count too.</p>
      {decks.loading && !decks.data ? <Loading /> : null}
      {decks.data && !decks.data.decks.length ? <p className="muted">There are no decks yet.</p> : null}
      <div className="deck-checks">
        {decks.data?.decks.map((d) => (
          <label key={d.id} className="check-row" style={{ paddingLeft: `${d.depth * 1.2}rem` }}>
            <input type="checkbox" checked={chosen.has(d.id)} onChange={() => toggle(d.id)} />
            {d.name}
          </label>
        ))}
      </div>
      <ErrorMessage error={save.error ?? decks.error} />
    </Dialog>
  );
}

function ReminderRulesCard({ cert, saved, onSaved }: { cert: CertDetail; saved: boolean; onSaved: (saved: boolean) => void }) {
  const [rules, setRules] = useState<ReminderRules>(cert.reminderRules);
  const [days, setDays] = useState(cert.reminderRules.daysBefore.join(', '));
  const fields = useFieldErrors();
  const save = useAction(async (next: ReminderRules | null) => {
    await api['certs.setReminderRules']({ id: cert.id, rules: next });
    // The card is drawn again with the saved rules; the confirmation outlives that.
    onSaved(true);
  });
  if (cert.status === 'lifetime') return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSaved(false);
    save.clearError();
    const daysBefore = days
      .split(/[\s,;]+/)
      .filter(Boolean)
      .map((d) => (/^\d+$/.test(d) ? Number(d) : null));
    const input = fields.check(contract['certs.setReminderRules'].input, { id: cert.id, rules: { ...rules, daysBefore } });
    if (input) void save.run(input.rules);
  };
  const change = () => {
    onSaved(false);
    fields.clear();
  };
  const check = (field: 'enabled' | 'onExpiryDay' | 'weeklyDuringGrace' | 'creditPace', text: string) => (
    <label className="check-row">
      <input
        type="checkbox"
        checked={rules[field]}
        onChange={(e) => {
          change();
          setRules((r) => ({ ...r, [field]: e.target.checked }));
        }}
      />
      {text}
    </label>
  );
  return (
    <section className="card settings-section" aria-labelledby="rules-heading">
      <h2 id="rules-heading">Reminders</h2>
      <form ref={fields.form} className="settings-section" onSubmit={submit} aria-label="Reminder rules" noValidate>
        {check('enabled', `Remind me about ${cert.abbreviation}`)}
        <label className="stacked">
          <span>Days before expiry</span>
          <input
            value={days}
            onChange={(e) => {
              change();
              setDays(e.target.value);
            }}
            disabled={!rules.enabled}
            {...fieldProps('reminder-days-error', fields.errors.daysBefore, 'reminder-days-hint')}
          />
          <small id="reminder-days-hint" className="muted">
            Whole days, separated by commas, e.g. 90, 30, 7.
          </small>
          <FieldError id="reminder-days-error" error={fields.errors.daysBefore} />
        </label>
        {check('onExpiryDay', 'On the expiry day')}
        {check('weeklyDuringGrace', 'Weekly during a grace or suspension period (when its length is known)')}
        {check('creditPace', 'Monthly when credits fall behind an even pace')}
        <div className="button-row">
          <button type="submit" className="primary" disabled={save.busy}>
            Save reminders
          </button>
          {!cert.reminderRulesAreDefault ? (
            <button type="button" disabled={save.busy} onClick={() => void save.run(null)}>
              Back to defaults
            </button>
          ) : null}
          {saved && !save.error ? (
            <span className="muted" role="status">
              Saved.
            </span>
          ) : null}
        </div>
        <ErrorMessage error={save.error} onDismiss={save.clearError} />
      </form>
      <h3 className="small-heading">Next reminders</h3>
      {cert.upcomingReminders.length ? (
        <ul className="plain-list small" aria-label="Next reminders">
          {cert.upcomingReminders.slice(0, 8).map((r) => (
            <li key={`${r.date}-${r.title}`}>
              {longDate(r.date)}: {r.title}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted small">{rules.enabled ? 'None to come under these rules.' : 'Reminders are off.'}</p>
      )}
    </section>
  );
}

/** The rules official sources can disagree on, in words. */
const DISPUTED_RULE: Partial<Record<string, string>> = {
  creditsRequired: 'the continuing education required',
  validityYears: 'how long a certification cycle lasts',
  feeUsd: 'the renewal fee',
  expires: 'whether it expires',
};

function Sources({ cert }: { cert: CertDetail }) {
  if (cert.catalog.custom) return null;
  return (
    <section className="card" aria-labelledby="sources-heading">
      <h2 id="sources-heading">Where these rules come from</h2>
      {cert.catalog.notes.length ? (
        <ul className="plain-list">
          {cert.catalog.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {cert.catalog.disputes.map((d) => (
        <div key={d.rule} className="dispute small">
          <p>
            <strong>Sources disagree</strong> on {DISPUTED_RULE[d.rule] ?? d.rule}, so Cadence picks neither:
          </p>
          <ul className="plain-list">
            {d.claims.map((c) => (
              <li key={c.source}>
                “{c.says}”: <a href={c.source} target="_blank" rel="noreferrer">{c.source}</a> ({c.dated})
              </li>
            ))}
          </ul>
        </div>
      ))}
      <p className="small">
        Last verified against the live official page:{' '}
        <strong>{cert.catalog.lastVerified ? longDate(cert.catalog.lastVerified) : 'not yet'}</strong>. These rules were read from stored copies of
        the pages below, not from the live sites; fees and rules change, so check the body's site before you rely on them.
      </p>
      <ul className="source-list small" aria-label="Sources">
        {cert.catalog.sources.map((s) => (
          <li key={s.url}>
            <a href={s.url} target="_blank" rel="noreferrer">
              {s.url}
            </a>{' '}
            <span className="muted">({s.label})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function CertificationDetail({ id }: { id: number }) {
  const { data: cert, error, loading } = useApi('certs.get', { id }, ['certifications', 'decks', 'study']);
  const [dialog, setDialog] = useState<'edit' | 'renew' | 'delete' | null>(null);
  const [rulesSaved, setRulesSaved] = useState(false);
  const renew = useAction(async () => {
    await api['certs.renew']({ id });
    setDialog(null);
  });
  const remove = useAction(async () => {
    await api['certs.remove']({ id });
    navigate('certifications');
  });
  if (loading && !cert) return <Loading />;
  if (!cert) {
    return (
      <section className="page">
        <ErrorMessage error={error ?? 'That certification no longer exists.'} />
        <a href={href('certifications')}>All certifications</a>
      </section>
    );
  }
  const title = `${cert.abbreviation}${cert.label ? ` (${cert.label})` : ''}`;
  const renewable = ['active', 'due_soon', 'grace'].includes(cert.status) && cert.catalog.validityYears !== null;
  const ownCredits = cert.credits.filter((c) => c.certificationId === cert.id).length;
  return (
    <section className="page">
      <a href={href('certifications')} className="small">
        ← All certifications
      </a>
      <PageHeader
        title={title}
        subtitle={
          <>
            {cert.name} · <span className={`badge ${statusTone(cert.status) ?? ''}`}>{STATUS_LABEL[cert.status]}</span> {cert.statusText}
          </>
        }
        actions={
          <>
            <button type="button" onClick={() => setDialog('edit')}>
              Edit
            </button>
            {renewable ? (
              <button type="button" onClick={() => setDialog('renew')}>
                I renewed it
              </button>
            ) : null}
            <button type="button" className="danger-text" onClick={() => setDialog('delete')}>
              Delete
            </button>
          </>
        }
      />
      <div className="cert-grid">
        <div className="settings-section">
          <Requirements cert={cert} />
          {cert.combined ? <Combined combined={cert.combined} /> : null}
          <StudyCard cert={cert} suggestion={cert.studySuggestion} />
        </div>
        <div className="settings-section">
          <Facts cert={cert} />
          <ReminderRulesCard key={JSON.stringify(cert.reminderRules)} cert={cert} saved={rulesSaved} onSaved={setRulesSaved} />
        </div>
      </div>
      {cert.catalog.categories.length && cert.status !== 'lifetime' ? <CreditLog cert={cert} /> : null}
      <Sources cert={cert} />

      {dialog === 'edit' ? <EditDialog cert={cert} onDone={() => setDialog(null)} /> : null}
      <ConfirmDialog
        open={dialog === 'renew'}
        title={`Record that you renewed ${cert.abbreviation}?`}
        confirmLabel="Record renewal"
        busy={renew.busy}
        onConfirm={() => void renew.run()}
        onCancel={() => setDialog(null)}
      >
        <p>
          The next cycle starts on {longDate(cert.expiresOn)}. Credits counted for this renewal stay in the log but do not count again.
          {cert.combined ? ` This renews ${cert.combined.certifications.map((c) => c.abbreviation).join(', ')} together.` : ''}
        </p>
        <ErrorMessage error={renew.error} />
      </ConfirmDialog>
      <ConfirmDialog
        open={dialog === 'delete'}
        title={`Delete ${title}?`}
        confirmLabel="Delete certification"
        danger
        busy={remove.busy}
        onConfirm={() => void remove.run()}
        onCancel={() => setDialog(null)}
      >
        <p>
          This removes it{ownCredits ? `, its ${ownCredits} credit ${ownCredits === 1 ? 'entry' : 'entries'}` : ''} and its reminders. The daily backup in
          your data folder keeps an earlier state.
        </p>
        <ErrorMessage error={remove.error} />
      </ConfirmDialog>
    </section>
  );
}
