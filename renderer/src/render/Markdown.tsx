// Text the user wrote in Markdown (check-in notes), shown formatted: the same Markdown and sanitizer as
// cards, so nothing in it can run.
import { useMemo } from 'react';
import { cardHtml } from './cardHtml';

export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => cardHtml(source), [source]);
  return <div className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
