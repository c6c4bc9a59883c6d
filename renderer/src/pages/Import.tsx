// Import & export: Anki packages and CSV/TSV files in (file -> staged -> for CSV a mapping screen ->
// import with progress and cancel -> what happened), and a deck tree out as .apkg or CSV.
import { useEffect, useId, useState } from 'react';
import type { CsvColumn, CsvPreview, CsvSeparator, ImportSummary } from '../../../shared/contract/transfer';
import { api, download, stageFile } from '../api';
import { EmptyState, ErrorMessage, Loading, PageHeader } from '../components/ui';
import { useAction, useApi } from '../hooks/useApi';
import { href } from '../router';
import { JobProgressView, useTransferJob } from './transferJob';
import './import.css';
import { DeckOptions } from '../components/DeckOptions';

interface Staged {
  stagedId: string;
  name: string;
  size: number;
}

type Step =
  | { kind: 'pick' }
  | { kind: 'anki'; file: Staged }
  | { kind: 'csv'; file: Staged; preview: CsvPreview }
  | { kind: 'done'; summary: ImportSummary };

const SEPARATORS: { value: CsvSeparator; label: string }[] = [
  { value: 'tab', label: 'Tab' },
  { value: 'comma', label: 'Comma' },
  { value: 'semicolon', label: 'Semicolon' },
  { value: 'pipe', label: 'Pipe ( | )' },
  { value: 'colon', label: 'Colon' },
  { value: 'space', label: 'Space' },
];

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
const isAnki = (name: string) => /\.(apkg|colpkg)$/i.test(name);

function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

// --- picking a file ------------------------------------------------------------------------------

function FilePicker({ onStaged }: { onStaged: (file: Staged) => void }) {
  const inputId = useId();
  const stage = useAction(async (file: File) => onStaged(await stageFile(file)));
  return (
    <div className="import-pick">
      <label htmlFor={inputId} className="stacked">
        <span>File to import</span>
        <input
          id={inputId}
          type="file"
          accept=".apkg,.colpkg,.csv,.tsv,.txt"
          disabled={stage.busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void stage.run(file);
            e.target.value = '';
          }}
        />
      </label>
      <p className="muted small">
        Anki packages (.apkg, .colpkg, from any Anki version) or text files (.csv, .tsv, .txt) with one note per line. Notes already here are
        updated, not duplicated.
      </p>
      {stage.busy ? <Loading label="Reading the file…" /> : null}
      <ErrorMessage error={stage.error} onDismiss={stage.clearError} />
    </div>
  );
}

// --- CSV mapping ---------------------------------------------------------------------------------

function columnKey(c: CsvColumn): string {
  return c.kind === 'field' ? `field:${c.field}` : c.kind;
}
function columnFromKey(key: string): CsvColumn {
  if (key.startsWith('field:')) return { kind: 'field', field: Number(key.slice(6)) };
  return { kind: key as Exclude<CsvColumn['kind'], 'field'> };
}

function CsvMapping({
  file,
  preview,
  onPreview,
  onImport,
  onBack,
  busy,
}: {
  file: Staged;
  preview: CsvPreview;
  onPreview: (p: CsvPreview) => void;
  onImport: (input: { noteTypeId: number; deckPath: string; columns: CsvColumn[]; tags: string[]; skipFirstRow: boolean; duplicates: 'update' | 'keep' | 'duplicate'; separator: CsvSeparator; html: boolean }) => void;
  onBack: () => void;
  busy: boolean;
}) {
  const [noteTypeId, setNoteTypeId] = useState(preview.suggested.noteTypeId);
  const [deckPath, setDeckPath] = useState(preview.suggested.deckPath);
  const [columns, setColumns] = useState<CsvColumn[]>(preview.suggested.columns);
  const [skipFirstRow, setSkipFirstRow] = useState(preview.suggested.skipFirstRow);
  const [tags, setTags] = useState('');
  const [duplicates, setDuplicates] = useState<'update' | 'keep' | 'duplicate'>('update');
  const reread = useAction(async (options: { separator?: CsvSeparator; html?: boolean }) => {
    const next = await api['import.csvPreview']({ stagedId: file.stagedId, separator: options.separator ?? preview.separator, html: options.html ?? preview.html });
    onPreview(next);
    setColumns(next.suggested.columns);
    setSkipFirstRow(next.suggested.skipFirstRow);
  });
  const decks = useApi('decks.list', undefined, ['decks']);
  const type = preview.noteTypes.find((t) => t.id === noteTypeId) ?? preview.noteTypes[0];
  const fields = type?.fields ?? [];

  // A new note type keeps the mapping by position; columns pointing past its fields are ignored.
  useEffect(() => {
    setColumns((cols) => cols.map((c) => (c.kind === 'field' && c.field >= fields.length ? { kind: 'ignore' } : c)));
  }, [fields.length]);

  const mapped = columns.some((c) => c.kind === 'field');
  const shownRows = preview.rows;
  const ids = { sep: useId(), type: useId(), deck: useId(), tags: useId(), dup: useId(), decks: useId() };

  return (
    <div className="csv-mapping">
      <p>
        <strong>{file.name}</strong> <span className="muted">· {plural(preview.rowCount, 'row')} · {plural(preview.columnCount, 'column')}</span>
      </p>
      <div className="mapping-options">
        <label className="stacked" htmlFor={ids.sep}>
          <span>Separator</span>
          <select id={ids.sep} value={preview.separator} disabled={reread.busy} onChange={(e) => void reread.run({ separator: e.target.value as CsvSeparator })}>
            {SEPARATORS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="stacked" htmlFor={ids.type}>
          <span>Note type</span>
          <select id={ids.type} value={noteTypeId} onChange={(e) => setNoteTypeId(Number(e.target.value))}>
            {preview.noteTypes.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="stacked" htmlFor={ids.deck}>
          <span>Deck</span>
          <input id={ids.deck} value={deckPath} list={ids.decks} onChange={(e) => setDeckPath(e.target.value)} placeholder="e.g. PMP::Terms" />
          <datalist id={ids.decks}>
            {decks.data?.decks.map((d) => (
              <option key={d.id} value={d.path} />
            ))}
          </datalist>
        </label>
        <label className="stacked" htmlFor={ids.tags}>
          <span>Add tags</span>
          <input id={ids.tags} value={tags} onChange={(e) => setTags(e.target.value)} placeholder="space separated" />
        </label>
        <label className="stacked" htmlFor={ids.dup}>
          <span>If a note exists</span>
          <select id={ids.dup} value={duplicates} onChange={(e) => setDuplicates(e.target.value as typeof duplicates)}>
            <option value="update">Update it</option>
            <option value="keep">Keep it as it is</option>
            <option value="duplicate">Add another note</option>
          </select>
        </label>
      </div>
      <div className="mapping-checks">
        <label className="checkbox">
          <input type="checkbox" checked={skipFirstRow} onChange={(e) => setSkipFirstRow(e.target.checked)} /> The first row holds column titles
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={preview.html} disabled={reread.busy} onChange={(e) => void reread.run({ html: e.target.checked })} /> Read the text as
          HTML (otherwise &lt; and &amp; show as written)
        </label>
      </div>
      <p className="muted small">
        {preview.separatorSource === 'header' ? 'The separator is set in the file.' : preview.separatorSource === 'detected' ? 'The separator was detected from the first lines.' : ''}
        {preview.header.tags.length ? ` The file adds the tags ${preview.header.tags.join(', ')} to every note.` : ''}
        {' '}A note that is already here is matched by its first field (or its note id column).
      </p>
      {preview.problems.length ? (
        <div className="csv-warning" role="status">
          <div>
            <strong>Some lines of this file will be left out.</strong>
            <ul>
              {preview.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
            The other rows are imported, and the summary lists every line left out. If most lines are listed, try another separator.
          </div>
        </div>
      ) : null}
      <div className="table-card card mapping-table">
        <table>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th key={i} scope="col">
                  <select
                    aria-label={`Column ${i + 1}${preview.columnNames?.[i] ? ` (${preview.columnNames[i]})` : ''}`}
                    value={columnKey(c)}
                    onChange={(e) => setColumns((cols) => cols.map((old, j) => (j === i ? columnFromKey(e.target.value) : old)))}
                  >
                    {fields.map((f, fi) => (
                      <option key={f} value={`field:${fi}`}>
                        {f}
                      </option>
                    ))}
                    <option value="tags">Tags</option>
                    <option value="deck">Deck</option>
                    <option value="noteType">Note type</option>
                    <option value="guid">Note id</option>
                    <option value="ignore">(ignore)</option>
                  </select>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shownRows.map((row, r) => (
              <tr key={r} className={r === 0 && skipFirstRow ? 'title-row' : undefined}>
                {columns.map((_, c) => (
                  <td key={c}>{(row[c] ?? '').slice(0, 120)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.rowCount > shownRows.length ? <p className="muted small">The first {shownRows.length} rows are shown.</p> : null}
      <div className="form-row">
        <button
          type="button"
          className="primary"
          disabled={busy || !mapped || deckPath.trim() === ''}
          onClick={() =>
            onImport({
              noteTypeId,
              deckPath: deckPath.trim(),
              columns,
              tags: tags.split(/\s+/).filter(Boolean),
              skipFirstRow,
              duplicates,
              separator: preview.separator,
              html: preview.html,
            })
          }
        >
          Import {plural(preview.rowCount - (skipFirstRow ? 1 : 0), 'row')}
        </button>
        <button type="button" onClick={onBack} disabled={busy}>
          Choose another file
        </button>
      </div>
      {!mapped ? <p className="muted small">Map at least one column to a field.</p> : null}
      <ErrorMessage error={reread.error} onDismiss={reread.clearError} />
    </div>
  );
}

// --- what happened -------------------------------------------------------------------------------

function Summary({ summary, onAgain }: { summary: ImportSummary; onAgain: () => void }) {
  const n = summary.notes;
  return (
    <div className="import-summary" aria-labelledby="import-summary-heading">
      <h3 id="import-summary-heading">Import finished</h3>
      <p className="muted">{summary.source}</p>
      <dl className="summary-counts">
        <div>
          <dt>Added</dt>
          <dd>{n.added.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{n.updated.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Unchanged</dt>
          <dd>{n.unchanged.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd>{n.skipped.toLocaleString()}</dd>
        </div>
      </dl>
      <p>
        {plural(summary.cardsAdded, 'new card')}
        {summary.reviewsAdded ? `, ${plural(summary.reviewsAdded, 'review')} of history` : ''}
        {summary.media.added || summary.media.alreadyPresent
          ? `, ${plural(summary.media.added, 'new media file')}${summary.media.alreadyPresent ? ` (${summary.media.alreadyPresent.toLocaleString()} already here)` : ''}`
          : ''}
        .
      </p>
      {summary.decks.length ? (
        <p>
          Decks: {summary.decks.join(', ')}. <a href={href('decks')}>Open the deck list</a>
        </p>
      ) : null}
      {summary.noteTypesAdded.length ? <p>New note types with their own card designs: {summary.noteTypesAdded.join(', ')}.</p> : null}
      {summary.noteTypesUpdated.length ? (
        <p>Updated card designs (your notes keep their cards and history): {summary.noteTypesUpdated.join(', ')}.</p>
      ) : null}
      {summary.skipped.length ? (
        <div>
          <h4>Skipped notes</h4>
          <ul className="plain-list">
            {summary.skipped.map((s) => (
              <li key={s.reason}>
                {s.reason} — {plural(s.count, 'note')}
                {s.examples.length ? <span className="muted"> (e.g. {s.examples.map((e) => `“${e}”`).join(', ')})</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {summary.badLines.length ? (
        <div>
          <h4>Lines not imported</h4>
          <p className="muted small">Fix these lines in the file and import it again: the rows already imported are matched, not added twice.</p>
          <ul className="plain-list bad-lines">
            {summary.badLines.map((b) => (
              <li key={b.line}>
                Line {b.line}: {b.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {summary.warnings.length ? (
        <div className="import-warnings">
          <h4>Good to know</h4>
          <ul className="plain-list">
            {summary.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="form-row">
        <button type="button" className="primary" onClick={onAgain}>
          Import another file
        </button>
      </div>
    </div>
  );
}

function ImportPanel() {
  const [step, setStep] = useState<Step>({ kind: 'pick' });
  const job = useTransferJob();
  const preview = useAction(async (file: Staged) => {
    const p = await api['import.csvPreview']({ stagedId: file.stagedId });
    setStep({ kind: 'csv', file, preview: p });
  });

  const staged = (file: Staged) => {
    if (isAnki(file.name)) setStep({ kind: 'anki', file });
    else void preview.run(file);
  };

  const importAnki = async (file: Staged, noteTypeChanges?: 'newType' | 'skip') => {
    const summary = await job.run((jobId) => api['import.anki']({ stagedId: file.stagedId, jobId, ...(noteTypeChanges ? { noteTypeChanges } : {}) }));
    if (summary) setStep({ kind: 'done', summary });
  };
  // The package changed a note type's fields: the importer asks what to do with the notes already here.
  const asking = step.kind === 'anki' && !job.running && job.errorCode === 'conflict';

  return (
    <section className="card import-panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import</h2>
      {step.kind === 'pick' ? (
        <>
          <FilePicker onStaged={staged} />
          {preview.busy ? <Loading label="Reading the file…" /> : null}
          <ErrorMessage error={preview.error} onDismiss={preview.clearError} />
        </>
      ) : null}

      {step.kind === 'anki' && asking ? (
        <div className="import-question" role="alertdialog" aria-labelledby="note-type-question" aria-describedby="note-type-question-text">
          <h3 id="note-type-question">This deck changed a note type</h3>
          <p id="note-type-question-text">{job.error}</p>
          <div className="form-row">
            <button type="button" className="primary" onClick={() => void importAnki(step.file, 'newType')}>
              Import as a new note type
            </button>
            <button type="button" onClick={() => void importAnki(step.file, 'skip')}>
              Skip those notes
            </button>
            <button type="button" className="link" onClick={() => { job.clearError(); setStep({ kind: 'pick' }); }}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}

      {step.kind === 'anki' && !job.running && !asking ? (
        <div className="import-ready">
          <p>
            <strong>{step.file.name}</strong> <span className="muted">· Anki package · {sizeText(step.file.size)}</span>
          </p>
          <p className="muted small">Decks, notes, card designs, pictures and sounds, schedules and review history come in. Nothing is deleted.</p>
          <div className="form-row">
            <button type="button" className="primary" onClick={() => void importAnki(step.file)}>
              Import
            </button>
            <button type="button" onClick={() => setStep({ kind: 'pick' })}>
              Choose another file
            </button>
          </div>
        </div>
      ) : null}

      {step.kind === 'csv' && !job.running ? (
        <CsvMapping
          file={step.file}
          preview={step.preview}
          busy={job.running}
          onPreview={(p) => setStep({ ...step, preview: p })}
          onBack={() => setStep({ kind: 'pick' })}
          onImport={async (input) => {
            const summary = await job.run((jobId) => api['import.csv']({ ...input, stagedId: step.file.stagedId, jobId }));
            if (summary) setStep({ kind: 'done', summary });
          }}
        />
      ) : null}

      {job.running ? <JobProgressView progress={job.progress} onCancel={() => void job.cancel()} cancelLabel="Cancel import" /> : null}
      {job.cancelled && !job.running ? <p role="status">Import cancelled. Nothing was changed.</p> : null}
      {asking ? null : <ErrorMessage error={job.error} onDismiss={job.clearError} />}

      {step.kind === 'done' ? <Summary summary={step.summary} onAgain={() => setStep({ kind: 'pick' })} /> : null}
    </section>
  );
}

// --- export --------------------------------------------------------------------------------------

function ExportPanel() {
  const decks = useApi('decks.list', undefined, ['decks']);
  const [deckId, setDeckId] = useState<number | null>(null);
  const [format, setFormat] = useState<'apkg' | 'csv'>('apkg');
  const [scheduling, setScheduling] = useState(true);
  const [media, setMedia] = useState(true);
  const [result, setResult] = useState<{ downloadName: string; fileName: string; notes: number; cards: number } | null>(null);
  const job = useTransferJob();
  const ids = { deck: useId(), format: useId() };
  const list = decks.data?.decks ?? [];
  const chosen = deckId ?? list[0]?.id ?? null;

  const run = async () => {
    if (chosen === null) return;
    setResult(null);
    const out = await job.run((jobId) =>
      format === 'apkg' ? api['export.apkg']({ deckId: chosen, includeScheduling: scheduling, includeMedia: media, jobId }) : api['export.csv']({ deckId: chosen }),
    );
    if (out) {
      setResult(out);
      download(out.downloadName);
    }
  };

  return (
    <section className="card import-panel" aria-labelledby="export-heading">
      <h2 id="export-heading">Export</h2>
      {decks.loading && !decks.data ? <Loading /> : null}
      {decks.data && list.length === 0 ? (
        <EmptyState title="No decks to export">Create or import a deck first.</EmptyState>
      ) : null}
      {list.length ? (
        <>
          <div className="mapping-options">
            <label className="stacked" htmlFor={ids.deck}>
              <span>Deck (with its subdecks)</span>
              <select id={ids.deck} value={chosen ?? ''} onChange={(e) => setDeckId(Number(e.target.value))}>
                <DeckOptions decks={list} label={(d) => `${d.name} (${d.counts.total.toLocaleString()})`} />
              </select>
            </label>
            <fieldset className="format-choice">
              <legend>Format</legend>
              <label className="checkbox">
                <input type="radio" name={ids.format} checked={format === 'apkg'} onChange={() => setFormat('apkg')} /> Anki package (.apkg)
              </label>
              <label className="checkbox">
                <input type="radio" name={ids.format} checked={format === 'csv'} onChange={() => setFormat('csv')} /> Spreadsheet (.csv)
              </label>
            </fieldset>
          </div>
          {format === 'apkg' ? (
            <div className="mapping-checks">
              <label className="checkbox">
                <input type="checkbox" checked={scheduling} onChange={(e) => setScheduling(e.target.checked)} /> Include schedules and review history
              </label>
              <label className="checkbox">
                <input type="checkbox" checked={media} onChange={(e) => setMedia(e.target.checked)} /> Include pictures and sounds
              </label>
            </div>
          ) : (
            <p className="muted small">One row per note: note id, note type, deck, fields and tags, with Anki's header lines. Importing it back updates the same notes.</p>
          )}
          <div className="form-row">
            <button type="button" className="primary" onClick={() => void run()} disabled={job.running || chosen === null}>
              {job.running ? 'Exporting…' : 'Export'}
            </button>
          </div>
          {job.running && format === 'apkg' ? <JobProgressView progress={job.progress} /> : null}
          {result ? (
            <p role="status">
              Exported {plural(result.notes, 'note')} ({plural(result.cards, 'card')}) to <strong>{result.fileName}</strong>.{' '}
              <button type="button" className="link" onClick={() => download(result.downloadName)}>
                Download again
              </button>
            </p>
          ) : null}
        </>
      ) : null}
      <ErrorMessage error={job.error ?? decks.error} onDismiss={job.clearError} />
    </section>
  );
}

export function ImportPage() {
  return (
    <section className="page import-page">
      <PageHeader title="Import & export" subtitle="Bring in Anki decks and spreadsheets of terms; take any deck out again." />
      <ImportPanel />
      <ExportPanel />
    </section>
  );
}
