// Renewal records an auditor accepts: a certification's credit log as CSV in the columns PMI's CCRS and
// Scrum Alliance's SEU form ask for (dates, provider, activity, category, units, description), and an
// "audit pack" zip for the current renewal cycle: a summary, the entries that are claimed for it as CSV,
// and each entry's evidence files, named so they sort by date.
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { CertDetail, Credit } from '../../../shared/contract/certifications';
import { csvCell } from '../transfer/csv/parse';
import { formatUnits, longDate } from './dates';

/** A cell a spreadsheet would run as a formula (=, +, -, @) is written as text. */
function safeCell(value: string): string {
  return csvCell(/^[=+\-@\t]/.test(value) ? `'${value}` : value, ',');
}

export const CSV_COLUMNS = ['Date started', 'Date completed', 'Provider', 'Activity', 'Category', 'Units claimed', 'Units counted', 'Description', 'Logged under', 'Evidence'];

/** The credit log as CSV (UTF-8 with a byte order mark, so spreadsheets read accents right; CRLF lines). */
export function creditsCsv(cert: CertDetail, credits: readonly Credit[]): string {
  const header = CSV_COLUMNS.map((c) => (c.startsWith('Units') ? c.replace('Units', cert.unit.plural) : c));
  const lines = [header.map(safeCell).join(',')];
  for (const c of [...credits].sort((a, b) => (a.date === b.date ? a.id - b.id : a.date < b.date ? -1 : 1))) {
    lines.push(
      [
        c.startedOn ?? c.date,
        c.date,
        c.provider,
        c.activity,
        c.categoryLabel,
        formatUnits(c.units),
        formatUnits(c.counted),
        [c.note, c.flagText ?? ''].filter(Boolean).join(' '),
        c.loggedUnder,
        c.evidence.map((e) => e.fileName).join('; '),
      ]
        .map(safeCell)
        .join(','),
    );
  }
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

/** A file name's safe form inside the zip: no folders, nothing a file system refuses. */
function zipName(name: string): string {
  return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-').slice(0, 120) || 'file';
}

/** The entries claimed for the current cycle: dated inside its window, not used for an earlier renewal. */
export function cycleCredits(cert: CertDetail): Credit[] {
  const p = cert.progress;
  const from = p ? p.windowFrom : cert.cycleStart;
  const to = p ? p.windowTo : '9999-12-31';
  return cert.credits.filter((c) => !c.flags.includes('used') && c.date >= from && c.date <= to && c.date >= cert.earnedOn);
}

function summaryText(cert: CertDetail, credits: readonly Credit[], files: string[], madeOn: string): string {
  const p = cert.progress;
  const lines = [
    `${cert.name} (${cert.abbreviation}${cert.label ? `, ${cert.label}` : ''}), ${cert.bodyName}`,
    `Credential ID: ${cert.credentialId || 'not entered'}`,
    `Earned on: ${longDate(cert.earnedOn)}`,
    `Current cycle since: ${longDate(cert.cycleStart)}`,
    `Expires: ${cert.expiresOn ? longDate(cert.expiresOn) : 'not confirmed'}`,
  ];
  if (p) {
    lines.push(p.windowText);
    lines.push('', 'Requirement', ...p.lines.map((l) => `- ${l.kind === 'total' ? cert.unit.plural : l.label}${l.kind === 'cap' ? ' (at most)' : l.kind === 'minimum' ? ' (at least)' : ''}: ${l.text}`));
    if (p.reasons.length) lines.push('', 'Not renewable yet because', ...p.reasons.map((r) => `- ${r}`));
  }
  const claimed = credits.reduce((s, c) => s + c.units, 0);
  const counted = credits.reduce((s, c) => s + c.counted, 0);
  lines.push('', `Entries: ${credits.length}; ${formatUnits(claimed)} ${cert.unit.plural} logged, ${formatUnits(counted)} counted. The entries are in credits.csv.`);
  lines.push(files.length ? `Evidence files (${files.length}), in evidence/:` : 'No evidence files are attached.');
  lines.push(...files.map((f) => `- ${f}`));
  lines.push('', `Made by Cadence on ${longDate(madeOn)}. Rules checked against ${cert.catalog.sources.length ? cert.catalog.sources.map((s) => s.url).join(', ') : 'your own entries'}.`);
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * The audit pack: summary.txt, credits.csv (this cycle's entries) and evidence/<date>-<entry>-<name> for
 * every attached file. `readEvidence` gives a file's bytes by evidence id.
 */
export function auditPack(cert: CertDetail, madeOn: string, readEvidence: (evidenceId: number) => Uint8Array): { bytes: Uint8Array; credits: number; evidenceFiles: number } {
  const credits = cycleCredits(cert);
  const files: Zippable = {};
  const names: string[] = [];
  for (const c of [...credits].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id))) {
    for (const e of c.evidence) {
      const name = `${c.date}-entry${c.id}-${zipName(e.fileName)}`;
      files[`evidence/${name}`] = [readEvidence(e.id), { level: e.kind === 'pdf' ? 6 : 0 }];
      names.push(name);
    }
  }
  files['summary.txt'] = strToU8(summaryText(cert, credits, names, madeOn));
  files['credits.csv'] = strToU8(creditsCsv(cert, credits));
  return { bytes: zipSync(files, { level: 6 }), credits: credits.length, evidenceFiles: names.length };
}
