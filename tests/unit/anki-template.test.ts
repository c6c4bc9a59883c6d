import { describe, expect, it } from 'vitest';
import {
  customCardOrdinals,
  customTemplateFor,
  missingTemplateFields,
  renderTemplateCard,
  scopeCss,
  templateFieldReferences,
  type CardTemplate,
} from '../../shared/ankiTemplate';

const fields = ['Term', 'Definition', 'Example'];
const t = (front: string, back: string, name = 'Card 1'): CardTemplate => ({ name, front, back });

describe('Anki template rendering', () => {
  it('replaces fields and puts the question on the answer side with {{FrontSide}}', () => {
    const card = renderTemplateCard(t('<b>{{Term}}</b>', '{{FrontSide}}<hr id=answer>{{Definition}}'), fields, ['OKR', 'Objectives and Key Results', ''], 0);
    expect(card.question).toBe('<b>OKR</b>');
    expect(card.answer).toBe('<b>OKR</b><hr id=answer>Objectives and Key Results');
  });

  it('shows {{#F}} sections only when the field has content, {{^F}} only when it is empty', () => {
    const tpl = t('{{Term}}{{#Example}}<i>e.g. {{Example}}</i>{{/Example}}{{^Example}}(no example){{/Example}}', '');
    expect(renderTemplateCard(tpl, fields, ['OKR', '', 'Company goals'], 0).question).toBe('OKR<i>e.g. Company goals</i>');
    // Whitespace, <br> and empty divs count as empty, as in Anki.
    expect(renderTemplateCard(tpl, fields, ['OKR', '', ' <br> <div></div>&nbsp;'], 0).question).toBe('OKR(no example)');
    // Sections nest.
    const nested = t('{{#Term}}[{{#Example}}{{Example}}{{/Example}}]{{/Term}}', '');
    expect(renderTemplateCard(nested, fields, ['x', '', 'y'], 0).question).toBe('[y]');
    expect(renderTemplateCard(nested, fields, ['', '', 'y'], 0).question).toBe('');
  });

  it('renders cloze deletions for the card being shown', () => {
    const tpl = t('{{cloze:Text}}', '{{cloze:Text}}<br>{{Extra}}');
    const values = ['{{c1::Scrum}} has {{c2::three::number}} accountabilities', 'Guide'];
    const card1 = renderTemplateCard(tpl, ['Text', 'Extra'], values, 0);
    expect(card1.question).toBe('<span class="cloze">[...]</span> has three accountabilities');
    expect(card1.answer).toBe('<span class="cloze">Scrum</span> has three accountabilities<br>Guide');
    const card2 = renderTemplateCard(tpl, ['Text', 'Extra'], values, 1);
    expect(card2.question).toBe('Scrum has <span class="cloze">[number]</span> accountabilities');
  });

  it('strips HTML with text:, hides a field behind a hint, and shows type: as the plain answer', () => {
    const tpl = t('{{text:Term}} {{hint:Example}} {{type:Definition}}', '{{FrontSide}}<hr>{{type:Definition}}');
    const card = renderTemplateCard(tpl, fields, ['<b>OKR</b>', 'Objectives', 'Goals'], 0);
    expect(card.question).toBe('OKR <details class="hint"><summary>Show Example</summary>Goals</details> ');
    expect(card.answer).toContain('<div class="typed-answer">Objectives</div>');
    expect(renderTemplateCard(tpl, fields, ['OKR', 'Objectives', ''], 0).question).toBe('OKR  ');
  });

  it('types the cloze answers with {{type:cloze:Text}}', () => {
    const tpl = t('{{cloze:Text}}{{type:cloze:Text}}', '{{cloze:Text}}{{type:cloze:Text}}');
    const card = renderTemplateCard(tpl, ['Text'], ['{{c1::Sprint}} and {{c1::Scrum}} {{c2::x}}'], 0);
    expect(card.question).not.toContain('typed-answer');
    expect(card.answer).toContain('<div class="typed-answer">Sprint, Scrum</div>');
  });

  it('fills special fields and marks unknown ones instead of failing', () => {
    const tpl = t('{{Tags}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{Type}}|{{Nope}}|{{tts en_US:Term}}', '');
    const q = renderTemplateCard(tpl, fields, ['a', 'b', 'c'], 0, { tags: ['x', 'y'], deck: 'PM::Agile', noteType: 'PM Term' }).question;
    expect(q).toBe('x y|PM::Agile|Agile|Card 1|PM Term|<span class="template-error">(unknown field Nope)</span>|');
  });

  it('lists the fields templates use and those the note type lacks', () => {
    expect(templateFieldReferences('{{#Example}}{{hint:Example}}{{/Example}}{{FrontSide}}{{cloze:Text}}{{Tags}}')).toEqual(['Example', 'Text']);
    expect(missingTemplateFields([t('{{Term}}', '{{FrontSide}}{{Pronunciation}}', 'Recall')], fields)).toEqual([
      { template: 'Recall', side: 'back', field: 'Pronunciation' },
    ]);
    expect(missingTemplateFields([t('{{term}}', '{{definition}}')], fields)).toEqual([]);
  });

  it('makes cards per template with a non-empty front, or per cloze number for cloze designs', () => {
    const standard = [t('{{Term}}', ''), t('{{#Example}}{{Example}}{{/Example}}', '')];
    expect(customCardOrdinals(standard, fields, ['OKR', 'x', ''])).toEqual([0]);
    expect(customCardOrdinals(standard, fields, ['OKR', 'x', 'y'])).toEqual([0, 1]);
    const cloze = [t('{{cloze:Text}}<div>{{Source}}</div>', '{{cloze:Text}}')];
    expect(customCardOrdinals(cloze, ['Text', 'Source'], ['{{c1::a}} {{c3::b}}', 'src'])).toEqual([0, 2]);
    expect(customTemplateFor(cloze, 2)).toBe(cloze[0]);
    expect(customTemplateFor(standard, 1)).toBe(standard[1]);
  });
});

describe('scoping a note type CSS to one card', () => {
  it('prefixes selectors and lands page and card rules on the card element', () => {
    const css = `
      /* Anki's default */
      .card { font-family: arial; color: black; }
      .nightMode .card, .night_mode .card { color: white; }
      body { margin: 0 }
      .card1 .front, #answer { color: red; }
      .card img:hover > b { border: 1px solid "a,b"; }
      img { max-width: 100% }
      @import url("https://example.com/evil.css");
      @media (max-width: 600px) { .card { font-size: 14px; } .x { y: z } }
      @font-face { font-family: Mine; src: url("media/abc.woff"); }
    `;
    const scoped = scopeCss(css, '[data-card="7"]');
    expect(scoped).toContain('[data-card="7"].card {');
    expect(scoped).toContain('[data-card="7"].nightMode.card, [data-card="7"].night_mode.card {');
    expect(scoped).toContain('[data-card="7"] {');
    expect(scoped).toContain('[data-card="7"].card1 .front, [data-card="7"] #answer {');
    expect(scoped).toContain('[data-card="7"].card img:hover > b {');
    expect(scoped).toContain('[data-card="7"] img {');
    expect(scoped).toContain('@media (max-width: 600px) {\n[data-card="7"].card {');
    expect(scoped).toContain('[data-card="7"] .x {');
    expect(scoped).toContain('@font-face { font-family: Mine; src: url("media/abc.woff"); }');
    expect(scoped).not.toContain('evil');
    expect(scoped).not.toContain('Anki');
    // Every rule outside at-rules is scoped.
    for (const line of scoped.split('\n').filter((l) => l.includes('{') && !l.startsWith('@'))) {
      expect(line.startsWith('[data-card="7"]')).toBe(true);
    }
  });
});
