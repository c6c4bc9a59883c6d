// The credit log of one certification: add, edit and delete entries; entries that do not (fully) count
// say why. For Scrum Alliance the log is shared by every certification held there.
import { useState, type FormEvent } from 'react';
import type { CertDetail, Credit } from '../../../../shared/contract/certifications';
import { contract } from '../../../../shared/contract';
import { api, download, stageFile } from '../../api';
import { ConfirmDialog, Dialog, EmptyState, ErrorMessage, FieldError, fieldProps } from '../../components/ui';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useAction } from '../../hooks/useApi';
import { longDate, todayLocal, units } from './format';

interface CreditFields {
  startedOn: string;
  date: string;
  units: string;
  category: string;
  provider: string;
  activity: string;
  note: string;
}

/** The form's text as the channel's input (empty text becomes "not given"), for the schema to check. */
function creditInput(f: CreditFields) {
  return { ...f, startedOn: f.startedOn || null, units: f.units.trim() === '' ? null : Number(f.units) };
}

function CreditInputs({
  cert,
  value,
  onChange,
  idPrefix,
  errors,
}: {
  cert: CertDetail;
  value: CreditFields;
  onChange: (v: CreditFields) => void;
  idPrefix: string;
  errors: Record<string, string>;
}) {
  const set = (field: keyof CreditFields) => (e: { target: { value: string } }) => onChange({ ...value, [field]: e.target.value });
  const err = (key: string) => ({ id: `${idPrefix}-${key}-error`, error: errors[key] });
  return (
    <>
      <label>
        <span>Date</span>
        <input id={`${idPrefix}-date`} type="date" value={value.date} max={todayLocal()} onChange={set('date')} required {...fieldProps(err('date').id, errors.date)} />
        <FieldError {...err('date')} />
      </label>
      <label>
        <span>Started on (if it took several days)</span>
        <input
          id={`${idPrefix}-started`}
          type="date"
          value={value.startedOn}
          max={value.date || todayLocal()}
          onChange={set('startedOn')}
          {...fieldProps(err('startedOn').id, errors.startedOn)}
        />
        <FieldError {...err('startedOn')} />
      </label>
      <label>
        <span>{cert.unit.plural} (1 hour = 1)</span>
        <input
          id={`${idPrefix}-units`}
          type="number"
          min={0.25}
          step={0.25}
          value={value.units}
          onChange={set('units')}
          required
          {...fieldProps(err('units').id, errors.units)}
        />
        <FieldError {...err('units')} />
      </label>
      <label>
        <span>Category</span>
        <select id={`${idPrefix}-category`} value={value.category} onChange={set('category')} required>
          {cert.catalog.categories.map((c) => (
            <option key={c.id} value={c.id} title={c.hint}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>Provider</span>
        <input id={`${idPrefix}-provider`} value={value.provider} onChange={set('provider')} maxLength={200} placeholder="e.g. Scrum Gathering" />
      </label>
      <label>
        <span>Activity</span>
        <input id={`${idPrefix}-activity`} value={value.activity} onChange={set('activity')} maxLength={200} placeholder="e.g. course or event title" />
      </label>
      <label>
        <span>Description</span>
        <input id={`${idPrefix}-note`} value={value.note} onChange={set('note')} maxLength={2000} />
      </label>
    </>
  );
}

function emptyFields(cert: CertDetail): CreditFields {
  return { startedOn: '', date: todayLocal(), units: '1', category: cert.catalog.categories[0]?.id ?? '', provider: '', activity: '', note: '' };
}

function AddCreditForm({ cert }: { cert: CertDetail }) {
  const [fields, setFields] = useState<CreditFields>(() => emptyFields(cert));
  const [logged, setLogged] = useState<string>();
  const check = useFieldErrors();
  const add = useAction(async () => {
    const input = check.check(contract['credits.add'].input, { certificationId: cert.id, ...creditInput(fields) });
    if (!input) return;
    await api['credits.add'](input);
    setLogged(`Logged ${units(input.units)} ${input.units === 1 ? cert.unit.singular : cert.unit.plural} on ${longDate(input.date)}.`);
    // Date, amount and category often repeat; what was said about this entry does not.
    setFields((f) => ({ ...f, startedOn: '', provider: '', activity: '', note: '' }));
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    // A new attempt: the last confirmation must not stand beside a new error.
    setLogged(undefined);
    void add.run();
  };
  return (
    <form ref={check.form} className="form-row credit-form" onSubmit={submit} aria-label={`Log ${cert.unit.plural}`} noValidate>
      <CreditInputs cert={cert} value={fields} onChange={setFields} idPrefix="new-credit" errors={check.errors} />
      <button type="submit" className="primary" disabled={add.busy}>
        Log {cert.unit.plural}
      </button>
      {logged ? (
        <span className="muted" role="status">
          {logged}
        </span>
      ) : null}
      <ErrorMessage error={add.error} onDismiss={add.clearError} />
    </form>
  );
}

function EditCreditDialog({ cert, credit, onDone }: { cert: CertDetail; credit: Credit; onDone: () => void }) {
  const [fields, setFields] = useState<CreditFields>({
    startedOn: credit.startedOn ?? '',
    date: credit.date,
    units: String(credit.units),
    category: credit.category,
    provider: credit.provider,
    activity: credit.activity,
    note: credit.note,
  });
  const check = useFieldErrors();
  const save = useAction(async () => {
    const input = check.check(contract['credits.update'].input, { id: credit.id, ...creditInput(fields) });
    if (!input) return;
    await api['credits.update'](input);
    onDone();
  });
  return (
    <Dialog
      open
      title="Edit credit entry"
      onClose={onDone}
      actions={
        <>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
          <button type="submit" form="edit-credit" className="primary" disabled={save.busy}>
            Save
          </button>
        </>
      }
    >
      <form
        ref={check.form}
        id="edit-credit"
        className="settings-section"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <CreditInputs cert={cert} value={fields} onChange={setFields} idPrefix="edit-credit" errors={check.errors} />
      </form>
      <ErrorMessage error={save.error} />
    </Dialog>
  );
}

/** "5 to 8 May 2025" for an entry over several days, else its one date. */
function entryDates(c: Credit): string {
  return c.startedOn ? `${longDate(c.startedOn)} to ${longDate(c.date)}` : longDate(c.date);
}

/** An entry's evidence files: each opens (downloads) by its name; more can be attached, any removed. */
function EvidenceCell({ credit }: { credit: Credit }) {
  const attach = useAction(async (file: File) => {
    const { stagedId } = await stageFile(file);
    await api['credits.attach']({ creditId: credit.id, stagedId, fileName: file.name });
  });
  const open = useAction(async (evidenceId: number) => download((await api['credits.evidenceFile']({ evidenceId })).downloadName));
  const detach = useAction((evidenceId: number) => api['credits.detach']({ evidenceId }));
  const when = entryDates(credit);
  return (
    <div className="evidence-cell">
      {credit.evidence.map((e) => (
        <span key={e.id} className="evidence-chip">
          <button type="button" className="link small" onClick={() => void open.run(e.id)} title={`Download ${e.fileName}`}>
            {e.fileName}
          </button>
          <button type="button" className="link small" aria-label={`Remove ${e.fileName} from the entry of ${when}`} onClick={() => void detach.run(e.id)}>
            ×
          </button>
        </span>
      ))}
      <label className="button small file-button">
        {attach.busy ? 'Attaching…' : 'Attach…'}
        <input
          type="file"
          className="visually-hidden"
          accept=".pdf,application/pdf,image/png,image/jpeg,image/gif,image/webp"
          aria-label={`Attach evidence to the entry of ${when}`}
          disabled={attach.busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void attach.run(file);
          }}
        />
      </label>
      <ErrorMessage error={attach.error ?? open.error ?? detach.error} onDismiss={attach.error ? attach.clearError : open.error ? open.clearError : detach.clearError} />
    </div>
  );
}

/** The log as CSV, and the current cycle's audit pack (summary, credits, evidence) as a zip. */
function Exports({ cert }: { cert: CertDetail }) {
  const [made, setMade] = useState<string>();
  const csv = useAction(async () => {
    const out = await api['credits.exportCsv']({ certificationId: cert.id });
    download(out.downloadName);
    setMade(`${out.fileName}: ${out.rows} ${out.rows === 1 ? 'entry' : 'entries'}.`);
  });
  const pack = useAction(async () => {
    const out = await api['credits.auditPack']({ certificationId: cert.id });
    download(out.downloadName);
    setMade(`${out.fileName}: ${out.credits} ${out.credits === 1 ? 'entry' : 'entries'} and ${out.evidenceFiles} evidence ${out.evidenceFiles === 1 ? 'file' : 'files'}.`);
  });
  const start = (action: typeof csv) => {
    setMade(undefined);
    csv.clearError();
    pack.clearError();
    void action.run();
  };
  return (
    <div className="button-row credit-exports">
      <button type="button" className="small" disabled={csv.busy || cert.credits.length === 0} onClick={() => start(csv)}>
        Export CSV
      </button>
      <button type="button" className="small" disabled={pack.busy || cert.credits.length === 0} onClick={() => start(pack)}>
        Audit pack (.zip)
      </button>
      <span className="muted small">For PMI's CCRS or Scrum Alliance's SEU form; the pack holds this cycle's entries and their evidence.</span>
      {made ? (
        <span className="muted small" role="status">
          Made {made}
        </span>
      ) : null}
      <ErrorMessage error={csv.error ?? pack.error} />
    </div>
  );
}

export function CreditLog({ cert }: { cert: CertDetail }) {
  const [editing, setEditing] = useState<Credit | null>(null);
  const [deleting, setDeleting] = useState<Credit | null>(null);
  const remove = useAction(async (id: number) => {
    await api['credits.remove']({ id });
    setDeleting(null);
  });
  const shared = cert.catalog.dailyCap !== null || cert.credits.some((c) => c.certificationId !== cert.id);
  return (
    <section className="card settings-section" aria-labelledby="credit-log-heading">
      <h2 id="credit-log-heading">Credit log</h2>
      {cert.catalog.dailyCap !== null ? (
        <p className="muted small tight">
          At most {units(cert.catalog.dailyCap)} {cert.unit.plural} count per day for{' '}
          {cert.catalog.dailyCapCategories.map((id) => cert.catalog.categories.find((c) => c.id === id)?.label ?? id).join(' and ')}.
          {shared ? ` Entries count for every ${cert.bodyName} certification you hold.` : ''}
        </p>
      ) : null}
      <AddCreditForm cert={cert} />
      <Exports cert={cert} />
      {cert.credits.length === 0 ? (
        <EmptyState title={`No ${cert.unit.plural} logged yet`}>
          Log courses, events, reading or volunteering as you do them; 1 hour counts as 1 {cert.unit.singular}.
        </EmptyState>
      ) : (
        <div className="table-card">
          <table className="credit-table">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col" className="num">
                  {cert.unit.plural}
                </th>
                <th scope="col" className="num">
                  Counted
                </th>
                <th scope="col">Category</th>
                <th scope="col">Provider and activity</th>
                <th scope="col">Evidence</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cert.credits.map((c) => (
                <tr key={c.id} data-credit={c.id}>
                  <td>{entryDates(c)}</td>
                  <td className="num">{units(c.units)}</td>
                  <td className="num">{units(c.counted)}</td>
                  <td>
                    {c.categoryLabel}
                    {c.origin === 'study' ? <span className="muted small block">from study time</span> : null}
                  </td>
                  <td>
                    {c.provider}
                    {c.activity ? <span className="block">{c.activity}</span> : null}
                    {c.note ? <span className="muted small block">{c.note}</span> : null}
                    {c.certificationId !== cert.id ? <span className="muted small block">Logged under {c.loggedUnder}</span> : null}
                    {c.flagText ? (
                      <span className="credit-flag block" role="note">
                        ⚠ {c.flagText}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <EvidenceCell credit={c} />
                  </td>
                  <td className="row-actions">
                    {!c.flags.includes('used') ? (
                      <button type="button" className="small" aria-label={`Edit the entry of ${entryDates(c)}`} onClick={() => setEditing(c)}>
                        Edit
                      </button>
                    ) : null}
                    <button type="button" className="small danger-text" aria-label={`Delete the entry of ${entryDates(c)}`} onClick={() => setDeleting(c)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing ? <EditCreditDialog cert={cert} credit={editing} onDone={() => setEditing(null)} /> : null}
      {deleting ? (
        <ConfirmDialog
          open
          title="Delete this entry?"
          confirmLabel="Delete entry"
          danger
          busy={remove.busy}
          onConfirm={() => void remove.run(deleting.id)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            {units(deleting.units)} {cert.unit.plural} on {longDate(deleting.date)} ({deleting.categoryLabel}).
          </p>
          <ErrorMessage error={remove.error} />
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
