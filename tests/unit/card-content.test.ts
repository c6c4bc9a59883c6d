// The pure text steps of showing a card: where math is (so Markdown leaves it alone and KaTeX finds
// it), Markdown -> HTML with math kept as written, and remote addresses taken out of CSS.
import { describe, expect, it } from 'vitest';
import { findMath, latexBlockMath, unwrapMathMarkup } from '../../shared/math';
import { fieldAsHtml, markdownToHtml, sourceToHtml } from '../../shared/noteFormat';
import { isRemoteUrl, withoutRemoteCss } from '../../shared/remoteContent';

describe('math in card text', () => {
  it('finds every notation Anki decks use, with its kind', () => {
    const text = 'a \\(x_1\\) b \\[y\\] c $$z$$ d [$]p[/$] e [$$]q[/$$] f [latex]\\begin{align}r\\end{align}[/latex]';
    expect(findMath(text).map((m) => [m.kind, m.tex])).toEqual([
      ['inline', 'x_1'],
      ['display', 'y'],
      ['display', 'z'],
      ['inline', 'p'],
      ['display', 'q'],
      ['latex', '\\begin{align}r\\end{align}'],
    ]);
    expect(findMath('costs $5 and \\ a backslash')).toEqual([]);
  });

  it('reads a [latex] block as display math, or inline when it holds $…$', () => {
    expect(latexBlockMath(' $$a^2$$ ')).toEqual({ tex: 'a^2', display: true });
    expect(latexBlockMath('$a$')).toEqual({ tex: 'a', display: false });
    expect(latexBlockMath('\\begin{cases}x\\end{cases}')).toEqual({ tex: '\\begin{cases}x\\end{cases}', display: true });
  });

  it("takes the editor's line breaks and tags out of math in HTML fields, and nothing else", () => {
    expect(unwrapMathMarkup('<b>x</b> \\(a<br>+<span>b</span>\\) <br>')).toBe('<b>x</b> \\(a\n+b\\) <br>');
  });
});

describe('Markdown and HTML notes', () => {
  it('Markdown keeps math as written: no lost backslashes, no italics from subscripts', () => {
    const html = markdownToHtml('The **sum** \\(a_{0} + a_{1}\\) and $$b_{0} * c_{0}$$');
    expect(html).toContain('<strong>sum</strong>');
    expect(html).toContain('\\(a_{0} + a_{1}\\)');
    expect(html).toContain('$$b_{0} * c_{0}$$');
    expect(html).not.toContain('<em>');
  });

  it('math inside a code span stays code', () => {
    expect(markdownToHtml('`\\(x\\)`')).toBe('<p><code>\\(x\\)</code></p>\n');
  });

  it('HTML is never run through Markdown', () => {
    const field = 'a_{0} and *b* <i>c</i>\n1. not a list';
    expect(sourceToHtml(field, 'html')).toBe(field);
    expect(sourceToHtml(field, 'markdown')).not.toBe(field);
  });

  it('a Markdown field goes to Anki as HTML without a paragraph around one line', () => {
    expect(fieldAsHtml('**Bold** <br> x', 'markdown')).toBe('<strong>Bold</strong> <br> x');
    expect(fieldAsHtml('one\n\ntwo', 'markdown')).toBe('<p>one</p>\n<p>two</p>');
    expect(fieldAsHtml('<b>as is</b>', 'html')).toBe('<b>as is</b>');
  });
});

describe('remote content', () => {
  it('tells addresses outside the app from local media', () => {
    for (const remote of ['https://x.org/a.png', ' HTTP://x', '//cdn.x/a.png', 'ftp://x', 'file:///etc/passwd', '\\\\server\\share', 'ht\ntps://x']) {
      expect(isRemoteUrl(remote), remote).toBe(true);
    }
    for (const local of ['a.png', 'media/abc.png', 'data:image/png;base64,AAAA', 'blob:abc', 'folder/x.png']) {
      expect(isRemoteUrl(local), local).toBe(false);
    }
  });

  it('empties remote url()s, image-set addresses and @imports in CSS, and keeps the rest', () => {
    const css = `@import url("https://evil.example/x.css");
.card { background: url(https://evil.example/bg.png) no-repeat; color: navy; }
.a { background-image: url("_paper.png"); content: "Note: see"; }
.b { background-image: image-set("https://evil.example/1.png" 1x); }
.c { background: \\75 rl(https://evil.example/escaped.png); }`;
    const safe = withoutRemoteCss(css);
    expect(safe).not.toMatch(/evil\.example\/(x\.css|bg\.png|1\.png)/);
    expect(safe).toContain('background: none no-repeat; color: navy;');
    expect(safe).toContain('url("_paper.png")');
    expect(safe).toContain('content: "Note: see"');
    expect(safe).toContain('_75 rl(');
    expect(withoutRemoteCss('.card { color: red }')).toBe('.card { color: red }');
  });
});
