// About & licences: what Cadence is, the licence of the starter content it adapts (the Scrum Guide deck,
// CC BY-SA 4.0, with its attribution), and every third-party package that ships inside it with its
// licence text.
import { useMemo, useState } from 'react';
import { ErrorMessage, Loading, PageHeader } from '../components/ui';
import { useApi } from '../hooks/useApi';
import { href } from '../router';
import './about.css';

export function AboutPage() {
  const info = useApi('app.info', undefined, []);
  const licences = useApi('about.licences', undefined, []);
  const [filter, setFilter] = useState('');
  const software = useMemo(() => {
    const words = filter.trim().toLowerCase();
    const list = licences.data?.software ?? [];
    return words ? list.filter((p) => `${p.name} ${p.licence}`.toLowerCase().includes(words)) : list;
  }, [licences.data, filter]);

  return (
    <section className="page about-page">
      <PageHeader
        title="About & licences"
        subtitle={info.data ? `Cadence ${info.data.version}: flashcards, certification renewals and curriculum tracking, offline.` : undefined}
        actions={<a href={href('settings')}>Back to Settings</a>}
      />
      <ErrorMessage error={info.error ?? licences.error} />
      <section className="card settings-section" aria-labelledby="content-heading">
        <h2 id="content-heading">Starter content</h2>
        {licences.data ? (
          licences.data.content.map((c) => (
            <div key={c.deck} className="content-licence">
              <h3>{c.deck.replace(/^Starter::/, '')} deck</h3>
              <p>
                {c.attribution}.{' '}
                <a href={c.url} target="_blank" rel="noreferrer">
                  {c.name} licence
                </a>
              </p>
              <p className="muted small">
                This deck is offered under the same licence, {c.name}: you may share and adapt it, also commercially, as long as you give the same
                attribution, say what you changed, and offer what you make from it under {c.name} too. Exported copies of the deck carry this
                statement in the deck description.
              </p>
            </div>
          ))
        ) : (
          <Loading />
        )}
        <p className="muted small">
          The other starter decks and the certification catalog are Cadence's own wording. Every card names its source under the answer; the
          catalog shows where each renewal rule was read and whether it is confirmed. The Scrum Guide is at{' '}
          <a href="https://scrumguides.org/scrum-guide.html" target="_blank" rel="noreferrer">
            scrumguides.org
          </a>
          .
        </p>
      </section>
      <section className="card settings-section" aria-labelledby="software-heading">
        <h2 id="software-heading">Third-party software</h2>
        <p className="muted">
          Cadence is built with these open-source packages. Each is used under its licence, whose text follows its name.
        </p>
        <label className="about-filter">
          <span>Find a package</span>
          <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Name or licence, e.g. MIT" />
        </label>
        {licences.data ? (
          software.length ? (
            <ul className="licence-list" aria-label="Third-party packages">
              {software.map((p) => (
                <li key={`${p.name}@${p.version}`}>
                  <details>
                    <summary>
                      <strong>{p.name}</strong> {p.version} <span className="badge">{p.licence}</span>
                    </summary>
                    {p.homepage ? (
                      <p className="small">
                        <a href={p.homepage} target="_blank" rel="noreferrer">
                          {p.homepage}
                        </a>
                      </p>
                    ) : null}
                    {p.note ? <p className="small">{p.note}</p> : null}
                    <pre className="licence-text">{p.text || 'This package ships no licence file; its licence is named above.'}</pre>
                  </details>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No package matches “{filter}”.</p>
          )
        ) : (
          <Loading />
        )}
      </section>
    </section>
  );
}
