// Certifications: each one's status and renewal progress, the Scrum Alliance combined renewal, adding
// from the catalog or a custom one, and a calendar file of the deadlines. #/certifications?id=N shows one.
import { useState } from 'react';
import type { CertSummary, CombinedRenewal } from '../../../shared/contract/certifications';
import { api, download } from '../api';
import { EmptyState, ErrorMessage, Loading, PageHeader, ProgressBar } from '../components/ui';
import { useAction, useApi } from '../hooks/useApi';
import { href, navigate, useRoute } from '../router';
import { AddCertificationDialog } from './certifications/AddDialog';
import { CertificationDetail } from './certifications/Detail';
import { longDate, STATUS_LABEL, statusTone, units } from './certifications/format';
import './certifications/certifications.css';

function CertCard({ cert }: { cert: CertSummary }) {
  const p = cert.progress;
  const title = `${cert.abbreviation}${cert.label ? ` (${cert.label})` : ''}`;
  return (
    <a className="card cert-card" href={href('certifications', { id: String(cert.id) })}>
      <div className="cert-title">
        <h2>{title}</h2>
        <span className={`badge ${statusTone(cert.status) ?? ''}`}>{STATUS_LABEL[cert.status]}</span>
      </div>
      <p className="muted small cert-name">
        {cert.name} · {cert.bodyName}
      </p>
      <p className="small" style={{ margin: 0 }}>
        {cert.statusText}
      </p>
      {p && p.required !== null ? (
        <ProgressBar
          value={Math.min(p.counted, p.required)}
          max={p.required}
          label={`${title}: ${units(p.counted)} of ${units(p.required)} ${cert.unit.plural}`}
          tone={p.renewable ? 'ok' : undefined}
        />
      ) : null}
      {cert.shortfallText ? <p className="shortfall small">{cert.shortfallText}</p> : null}
    </a>
  );
}

function CombinedCard({ combined }: { combined: CombinedRenewal }) {
  return (
    <section className="card" aria-label={`${combined.bodyName} combined renewal`}>
      <h2>One {combined.bodyName} renewal</h2>
      <p className="shortfall">{combined.text}</p>
      <ProgressBar
        value={Math.min(combined.counted, combined.creditsRequired)}
        max={combined.creditsRequired}
        label={`${combined.bodyName} combined: ${units(combined.counted)} of ${units(combined.creditsRequired)}`}
        tone={combined.renewable ? 'ok' : undefined}
      />
      <p className="muted small">
        {combined.certifications.map((c) => `${c.abbreviation}: ${c.role}`).join(' · ')}. Due by {longDate(combined.dueOn)}.
      </p>
    </section>
  );
}

function CertificationList() {
  const { data, error, loading } = useApi('certs.list', undefined, ['certifications']);
  const [adding, setAdding] = useState(false);
  const exportIcs = useAction(async () => {
    const result = await api['certs.exportIcs']({});
    download(result.downloadName);
    return result;
  });
  const certs = data?.certifications ?? [];
  const hasDeadlines = certs.some((c) => c.expiresOn && c.status !== 'expired');
  return (
    <section className="page">
      <PageHeader
        title="Certifications"
        subtitle="Renewal dates, credits and reminders. Values the sources do not confirm are shown as “not confirmed”."
        actions={
          <>
            {hasDeadlines ? (
              <button type="button" disabled={exportIcs.busy} onClick={() => void exportIcs.run()}>
                Download calendar (.ics)
              </button>
            ) : null}
            <button type="button" className="primary" onClick={() => setAdding(true)}>
              Add certification
            </button>
          </>
        }
      />
      <ErrorMessage error={error ?? exportIcs.error} onDismiss={exportIcs.clearError} />
      {loading && !data ? <Loading /> : null}
      {data && !certs.length ? (
        <EmptyState
          title="No certifications yet"
          action={
            <button type="button" className="primary" onClick={() => setAdding(true)}>
              Add your first certification
            </button>
          }
        >
          Add the certifications you hold (CSM, CSPO, PMP, …) to see when each must be renewed, log the SEUs or PDUs you earn, and get reminded in time.
        </EmptyState>
      ) : null}
      {data?.combined.map((c) => <CombinedCard key={c.bodyName} combined={c} />)}
      {certs.length ? (
        <div className="cert-list" role="list" aria-label="Your certifications">
          {certs.map((c) => (
            <div role="listitem" key={c.id}>
              <CertCard cert={c} />
            </div>
          ))}
        </div>
      ) : null}
      {adding ? (
        <AddCertificationDialog
          onClose={() => setAdding(false)}
          onAdded={(cert) => {
            setAdding(false);
            navigate('certifications', { id: String(cert.id) });
          }}
        />
      ) : null}
    </section>
  );
}

export function CertificationsPage() {
  const { params } = useRoute();
  const id = params.id ? Number(params.id) : NaN;
  return Number.isInteger(id) && id > 0 ? <CertificationDetail key={id} id={id} /> : <CertificationList />;
}
