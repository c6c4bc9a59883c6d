// Where a note's facts come from, shown under the answer and in Browse. The text is the note's own
// (plain text, escaped by React); a source that is a single https address becomes a link that opens in
// the browser, like every external link.
export function NoteSource({ source, compact = false }: { source: string; compact?: boolean }) {
  const text = source.trim();
  if (!text) return null;
  const isLink = /^https:\/\/\S+$/.test(text);
  return (
    <p className={compact ? 'note-source muted small' : 'note-source small'}>
      <span className="note-source-label">Source: </span>
      {isLink ? (
        <a href={text} target="_blank" rel="noreferrer">
          {text}
        </a>
      ) : (
        <cite>{text}</cite>
      )}
    </p>
  );
}
