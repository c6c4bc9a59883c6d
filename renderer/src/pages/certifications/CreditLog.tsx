// The credit log of one certification: add, edit and delete entries; entries that do not (fully) count
// say why. For Scrum Alliance the log is shared by every certification held there.
import { useState, type FormEvent } from 'react';
import type { CertDetail, Credit } from '../../../../shared/contract/certifications';
import { api } from '../../api';
import { ConfirmDialog, Dialog, EmptyState, ErrorMessage } from '../../components/ui';
import { useAction } from '../../hooks/useApi';
import { longDate, todayLocal, units } from './format';

interface CreditFields {
  date: string;
  units: string;
  category: string;
  provider: string;
  note: string;
}

function CreditInputs({ cert, value, onChange, idPrefix }: { cert: CertDetail; value: CreditFields; onChange: (v: CreditFields) => void; idPrefix: string }) {
  const set = (field: keyof CreditFields) => (e: { target: { value: string } }) => onChange({ ...value, [field]: e.target.value });
  return (
    <>
      <label>
        <span>Date</span>
        <input id={`${idPrefix}-date`} type="date" value={value.date} max={todayLocal()} onChange={set('date')} required />
      </label>
      <label>
        <span>{cert.unit.plural} (1 hour = 1)</span>
        <input id={`${idPrefix}-units`} type="number" min={0.25} max={24} step={0.25} value={value.units} onChange={set('units')} required />
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
        <span>Note</span>
        <input id={`${idPrefix}-note`} value={value.note} onChange={set('note')} maxLength={2000} />
      </label>
    </>
  );
}

function emptyFields(cert: CertDetail): CreditFields {
  return { date: todayLocal(), units: '1', category: cert.catalog.categories[0]?.id ?? '', provider: '', note: '' };
}

function AddCreditForm({ cert }: { cert: CertDetail }) {
  const [fields, setFields] = useState<CreditFields>(() => emptyFields(cert));
  const add = useAction(async () => {
    await api['credits.add']({ certificationId: cert.id, ...fields, units: Number(fields.units) });
    // Date, amount and category often repeat; what was said about this entry does not.
    setFields((f) => ({ ...f, provider: '', note: '' }));
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void add.run();
  };
  return (
    <form className="form-row" onSubmit={submit} aria-label={`Log ${cert.unit.plural}`}>
      <CreditInputs cert={cert} value={fields} onChange={setFields} idPrefix="new-credit" />
      <button type="submit" className="primary" disabled={add.busy}>
        Log {cert.unit.plural}
      </button>
      <ErrorMessage error={add.error} onDismiss={add.clearError} />
    </form>
  );
}

function EditCreditDialog({ cert, credit, onDone }: { cert: CertDetail; credit: Credit; onDone: () => void }) {
  const [fields, setFields] = useState<CreditFields>({
    date: credit.date,
    units: String(credit.units),
    category: credit.category,
    provider: credit.provider,
    note: credit.note,
  });
  const save = useAction(async () => {
    await api['credits.update']({ id: credit.id, ...fields, units: Number(fields.units) });
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
        id="edit-credit"
        className="settings-section"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <CreditInputs cert={cert} value={fields} onChange={setFields} idPrefix="edit-credit" />
      </form>
      <ErrorMessage error={save.error} />
    </Dialog>
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
                <th scope="col">Provider and note</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {cert.credits.map((c) => (
                <tr key={c.id} data-credit={c.id}>
                  <td>{longDate(c.date)}</td>
                  <td className="num">{units(c.units)}</td>
                  <td className="num">{units(c.counted)}</td>
                  <td>
                    {c.categoryLabel}
                    {c.origin === 'study' ? <span className="muted small block">from study time</span> : null}
                  </td>
                  <td>
                    {c.provider}
                    {c.note ? <span className="muted small block">{c.note}</span> : null}
                    {c.certificationId !== cert.id ? <span className="muted small block">Logged under {c.loggedUnder}</span> : null}
                    {c.flagText ? (
                      <span className="credit-flag block" role="note">
                        ⚠ {c.flagText}
                      </span>
                    ) : null}
                  </td>
                  <td className="row-actions">
                    {!c.flags.includes('used') ? (
                      <button type="button" className="small" aria-label={`Edit the entry of ${longDate(c.date)}`} onClick={() => setEditing(c)}>
                        Edit
                      </button>
                    ) : null}
                    <button type="button" className="small danger-text" aria-label={`Delete the entry of ${longDate(c.date)}`} onClick={() => setDeleting(c)}>
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
