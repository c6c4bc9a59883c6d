// Adding a certification: pick one from the catalog (grouped by body) or describe a custom one.
import { useMemo, useState, type FormEvent } from 'react';
import type { CatalogEntry, CertBody, CertDetail } from '../../../../shared/contract/certifications';
import { contract } from '../../../../shared/contract';
import { api } from '../../api';
import { Dialog, ErrorMessage, FieldError, fieldProps, Loading } from '../../components/ui';
import { useFieldErrors } from '../../hooks/useFieldErrors';
import { useAction, useApi } from '../../hooks/useApi';
import { earnedOnProblem, feeLabel, longDate, NOT_CONFIRMED, plusYears, todayLocal, units } from './format';

const CUSTOM = 'custom';

/** "sources disagree" where the body's own pages contradict each other on this rule, else "not confirmed". */
const unknown = (entry: CatalogEntry, rule: CatalogEntry['disputes'][number]['rule']) =>
  entry.disputes.some((d) => d.rule === rule) ? 'sources disagree' : NOT_CONFIRMED;

function validityText(entry: CatalogEntry): string {
  if (entry.expires === false) return 'never expires';
  if (entry.expires === null) return `renewal ${NOT_CONFIRMED}`;
  if (entry.validityYears === null) return unknown(entry, 'validityYears');
  return `${entry.validityYears} ${entry.validityYears === 1 ? 'year' : 'years'}`;
}

function EntrySummary({ entry, body }: { entry: CatalogEntry; body: CertBody }) {
  const credits =
    entry.creditsRequired === null ? unknown(entry, 'creditsRequired') : entry.creditsRequired === 0 ? 'none' : `${units(entry.creditsRequired)} ${body.unit.plural}`;
  return (
    <dl className="facts small" aria-label="What the rules say">
      <dt>Valid for</dt>
      <dd className={entry.expires === null || entry.validityYears === null ? 'not-confirmed' : undefined}>{validityText(entry)}</dd>
      <dt>Credits per renewal</dt>
      <dd className={entry.creditsRequired === null ? 'not-confirmed' : undefined}>{credits}</dd>
      <dt>Renewal fee</dt>
      <dd className={entry.feeUsd === null ? 'not-confirmed' : undefined}>{feeLabel(entry.feeUsd)}</dd>
    </dl>
  );
}

export function AddCertificationDialog({ onClose, onAdded }: { onClose: () => void; onAdded: (cert: CertDetail) => void }) {
  const catalog = useApi('certs.catalog', undefined, []);
  const [catalogId, setCatalogId] = useState('');
  const [earnedOn, setEarnedOn] = useState('');
  const [label, setLabel] = useState('');
  const [credentialId, setCredentialId] = useState('');
  const [url, setUrl] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [custom, setCustom] = useState({ name: '', abbreviation: '', issuer: '', validityYears: '2', creditsRequired: '', feeUsd: '', unitName: 'hours' });
  const [customNeverExpires, setCustomNeverExpires] = useState(false);

  const bodies = catalog.data?.bodies ?? [];
  const entries = catalog.data?.entries ?? [];
  const entry = entries.find((e) => e.id === catalogId);
  const body = entry ? bodies.find((b) => b.id === entry.body) : undefined;
  const byBody = useMemo(() => bodies.map((b) => ({ body: b, entries: entries.filter((e) => e.body === b.id) })), [bodies, entries]);

  const computed = entry?.expires && entry.validityYears && earnedOn ? plusYears(earnedOn, entry.validityYears) : null;

  const fields = useFieldErrors();
  /** The sentence for one field, below it, and the attributes that tie the two together. */
  const problem = (key: string) => <FieldError id={`add-cert-${key}-error`} error={fields.errors[key]} />;
  const tie = (key: string) => fieldProps(`add-cert-${key}-error`, fields.errors[key]);
  const add = useAction(async () => {
    const number = (s: string) => (s.trim() === '' ? null : Number(s));
    const input = fields.check(contract['certs.add'].input, {
      catalogId,
      earnedOn,
      label,
      credentialId,
      url: url.trim() ? url.trim() : null,
      expiresOn: expiresOn || null,
      custom:
        catalogId === CUSTOM
          ? {
              name: custom.name,
              abbreviation: custom.abbreviation,
              issuer: custom.issuer,
              validityYears: customNeverExpires ? null : Number(custom.validityYears),
              creditsRequired: number(custom.creditsRequired),
              feeUsd: number(custom.feeUsd),
              unitName: custom.unitName || 'hours',
            }
          : undefined,
    });
    const earnedProblem = earnedOnProblem(earnedOn);
    if (earnedProblem) fields.setErrors((errors) => ({ ...errors, earnedOn: earnedProblem }));
    if (!input || earnedProblem) return;
    onAdded(await api['certs.add'](input));
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void add.run();
  };
  const setField = (field: keyof typeof custom) => (e: { target: { value: string } }) => setCustom((c) => ({ ...c, [field]: e.target.value }));

  return (
    <Dialog
      open
      title="Add a certification"
      onClose={onClose}
      actions={
        <>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="add-cert" className="primary" disabled={add.busy || !catalogId}>
            Add certification
          </button>
        </>
      }
    >
      {catalog.loading && !catalog.data ? <Loading /> : null}
      <form ref={fields.form} id="add-cert" className="settings-section" onSubmit={submit} noValidate>
        <label className="stacked">
          <span>Certification</span>
          <select value={catalogId} onChange={(e) => setCatalogId(e.target.value)} required>
            <option value="">Choose…</option>
            {byBody.map(({ body: b, entries: list }) => (
              <optgroup key={b.id} label={b.name}>
                {list.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.abbreviation} — {e.name}
                  </option>
                ))}
              </optgroup>
            ))}
            <optgroup label="Other">
              <option value={CUSTOM}>Custom certification…</option>
            </optgroup>
          </select>
        </label>
        {entry && body ? <EntrySummary entry={entry} body={body} /> : null}
        {catalogId === CUSTOM ? (
          <fieldset className="settings-section">
            <legend>About this certification</legend>
            <label className="stacked">
              <span>Name</span>
              <input value={custom.name} onChange={setField('name')} maxLength={120} required {...tie('name')} />
              {problem('name')}
            </label>
            <label className="stacked">
              <span>Abbreviation</span>
              <input value={custom.abbreviation} onChange={setField('abbreviation')} maxLength={30} required {...tie('abbreviation')} />
              {problem('abbreviation')}
            </label>
            <label className="stacked">
              <span>Issued by</span>
              <input value={custom.issuer} onChange={setField('issuer')} maxLength={120} />
            </label>
            <label className="check-row">
              <input type="checkbox" checked={customNeverExpires} onChange={(e) => setCustomNeverExpires(e.target.checked)} />
              Never expires
            </label>
            {!customNeverExpires ? (
              <>
                <label className="stacked">
                  <span>Valid for (years)</span>
                  <input type="number" min={1} max={10} value={custom.validityYears} onChange={setField('validityYears')} required {...tie('validityYears')} />
                  {problem('validityYears')}
                </label>
                <label className="stacked">
                  <span>Credits needed per renewal (optional)</span>
                  <input type="number" min={0} step={0.25} value={custom.creditsRequired} onChange={setField('creditsRequired')} {...tie('creditsRequired')} />
                  {problem('creditsRequired')}
                </label>
                <label className="stacked">
                  <span>Renewal fee in USD (optional)</span>
                  <input type="number" min={0} step={1} value={custom.feeUsd} onChange={setField('feeUsd')} {...tie('feeUsd')} />
                  {problem('feeUsd')}
                </label>
                <label className="stacked">
                  <span>Credits are counted in</span>
                  <input value={custom.unitName} onChange={setField('unitName')} maxLength={20} />
                </label>
              </>
            ) : null}
          </fieldset>
        ) : null}
        <label className="stacked">
          <span>Earned on</span>
          <input type="date" value={earnedOn} max={todayLocal()} onChange={(e) => setEarnedOn(e.target.value)} required {...tie('earnedOn')} />
          {problem('earnedOn')}
        </label>
        <label className="stacked">
          <span>Your label (optional)</span>
          <input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={60} placeholder="e.g. PMC-III, ICP-ACC" />
        </label>
        <label className="stacked">
          <span>Credential ID (optional)</span>
          <input value={credentialId} onChange={(e) => setCredentialId(e.target.value)} maxLength={120} />
        </label>
        <label className="stacked">
          <span>Certificate or badge address (optional, https)</span>
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://…" {...tie('url')} />
          {problem('url')}
        </label>
        {entry?.expires !== false ? (
          <label className="stacked">
            <span>Expiry date on your certificate (optional)</span>
            <input type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} {...tie('expiresOn')} />
            {problem('expiresOn')}
            <small className="muted">
              {computed
                ? `The rule gives ${longDate(computed)}; enter a date only if your certificate says otherwise.`
                : entry?.expires === null
                  ? `When this certification expires is ${NOT_CONFIRMED}; enter the date if your certificate has one.`
                  : 'Leave empty to use the date the rule gives.'}
            </small>
          </label>
        ) : null}
      </form>
      <ErrorMessage error={add.error ?? catalog.error} onDismiss={add.clearError} />
    </Dialog>
  );
}
