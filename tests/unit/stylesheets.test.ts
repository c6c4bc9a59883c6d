// The renderer's stylesheets close every rule they open. A rule left open does not break the build:
// the browser reads everything after it as nested inside it (CSS nesting), so those rules silently
// stop matching (the sync conflict list once showed bullets that way).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = path.resolve(__dirname, '../../renderer/src');

function stylesheets(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return stylesheets(full);
    return e.name.endsWith('.css') ? [full] : [];
  });
}

/** Line numbers of rules opened and never closed (and of closing braces with nothing open). */
function unbalancedBraces(css: string): number[] {
  // Comments and strings may hold braces; blank them out, keeping line breaks so lines still count.
  const code = css.replace(/\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, ' '));
  const open: number[] = [];
  const stray: number[] = [];
  let line = 1;
  for (const c of code) {
    if (c === '\n') line++;
    else if (c === '{') open.push(line);
    else if (c === '}' && open.pop() === undefined) stray.push(line);
  }
  return [...stray, ...open];
}

describe('stylesheets', () => {
  it('finds a rule left open', () => {
    expect(unbalancedBraces('.a {\n  color: red;\n\n.b {\n  margin: 0;\n}\n')).toEqual([1]);
    expect(unbalancedBraces('.a { content: "{"; }\n/* } */\n')).toEqual([]);
    expect(unbalancedBraces('.a {}\n}\n')).toEqual([2]);
  });

  it('every rule in every renderer stylesheet is closed', () => {
    const files = stylesheets(RENDERER);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      expect(unbalancedBraces(fs.readFileSync(file, 'utf8')), path.relative(RENDERER, file)).toEqual([]);
    }
  });
});
