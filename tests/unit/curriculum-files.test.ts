import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { curriculumFileSchema } from '../../electron/core/curriculum/fileFormat';
import { ASSETS_DIR, makeTestCore, type TestCore } from './testCore';

let core: TestCore;
afterEach(() => core?.close());

const curriculaDir = path.join(ASSETS_DIR, 'curricula');
const templateFiles = fs.readdirSync(curriculaDir).filter((f) => f.endsWith('.json'));

/** Deck path -> tags used by the bundled starter deck with that path. */
function starterDeckTags(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const dir = path.join(ASSETS_DIR, 'decks');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.json'))) {
    const deck = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { deck: string; notes: { tags?: string[] }[] };
    out.set(deck.deck, new Set(deck.notes.flatMap((n) => n.tags ?? [])));
  }
  return out;
}

describe('bundled curriculum templates', () => {
  it('ships the two templates, each valid, labelled as a template and citing sources', () => {
    expect(templateFiles.sort()).toEqual(['product-management.json', 'technical-project-management-12-weeks.json']);
    const names: string[] = [];
    for (const f of templateFiles) {
      const parsed = curriculumFileSchema.safeParse(JSON.parse(fs.readFileSync(path.join(curriculaDir, f), 'utf8')));
      expect(parsed.success, `${f}: ${parsed.success ? '' : parsed.error.message}`).toBe(true);
      if (!parsed.success) continue;
      const t = parsed.data;
      names.push(t.name);
      expect(t.kind).toBe('template');
      expect(t.basis).toMatch(/^Template built from comparable/);
      expect(t.basis).toContain("not any school's official syllabus");
      expect(t.sources.length).toBeGreaterThan(0);
      for (const m of t.modules) {
        expect(m.objectives.length, `${f} week ${m.week} objectives`).toBeGreaterThan(0);
        expect(m.description.length).toBeGreaterThan(20);
      }
    }
    expect(names.sort()).toEqual(['Product Management', 'Technical Project Management — 12 weeks']);
  });

  it('links only starter decks that exist and tags those decks use', () => {
    const decks = starterDeckTags();
    for (const f of templateFiles) {
      const t = curriculumFileSchema.parse(JSON.parse(fs.readFileSync(path.join(curriculaDir, f), 'utf8')));
      for (const m of t.modules) {
        expect(m.links.length, `${f} "${m.title}" links`).toBeGreaterThan(0);
        for (const link of m.links) {
          const tags = decks.get(link.deck!);
          expect(tags, `${f} "${m.title}" links a deck that is not bundled: ${link.deck}`).toBeDefined();
          if (link.tag === undefined || !tags) continue;
          const tag = link.tag;
          const used = [...tags].some((x) => x === tag || x.startsWith(`${tag}::`));
          expect(used, `${f} "${m.title}": no card in ${link.deck} is tagged ${tag}`).toBe(true);
        }
      }
    }
  });

  it('lists the templates with their weeks and basis', async () => {
    core = await makeTestCore();
    const { templates } = await core.call('curricula.templates');
    const tpm = templates.find((t) => t.key === 'technical-project-management-12-weeks');
    expect(tpm).toMatchObject({ weeks: 12, moduleCount: 12, name: 'Technical Project Management — 12 weeks' });
    expect(templates.find((t) => t.key === 'product-management')?.moduleCount).toBe(12);
  });
});

describe('curriculum import and export', () => {
  it('exports a curriculum with links and progress, and imports it back as a copy', async () => {
    core = await makeTestCore();
    core.clock.set('2026-03-10T10:00:00');
    const c = await core.call('curricula.startTemplate', { templateKey: 'product-management', startDate: '2026-03-02', name: 'My PM course' });
    await core.call('modules.setStatus', { id: c.modules[0]!.id, status: 'done', date: '2026-03-06' });
    await core.call('modules.update', { id: c.modules[0]!.id, notes: 'Good intro' });
    const exported = await core.call('curricula.export', { id: c.id });
    expect(exported.fileName).toBe('my-pm-course.curriculum.json');
    expect(fs.readFileSync(path.join(core.ctx.paths.exportsDir, exported.downloadName), 'utf8')).toBe(exported.json);

    const staged = await core.call('files.stage', { name: exported.fileName, bytes: new TextEncoder().encode(exported.json) });
    const copy = await core.call('curricula.import', { stagedId: staged.stagedId });
    expect(copy.id).not.toBe(c.id);
    expect(copy.name).toBe('My PM course');
    expect(copy.startDate).toBe('2026-03-02');
    expect(copy.modules).toHaveLength(12);
    expect(copy.modules[0]).toMatchObject({ status: 'done', doneOn: '2026-03-06', notes: 'Good intro' });
    expect(copy.modules[0]!.links).toMatchObject([{ deckPath: 'Starter::Product Management', tagPrefix: 'pm::role' }]);
    expect(copy.progress).toEqual({ done: 1, inProgress: 0, total: 12 });
    expect(fs.existsSync(path.join(core.ctx.paths.stagingDir, staged.stagedId))).toBe(false);
  });

  it('refuses a bad file whole, saying what is wrong and where', async () => {
    core = await makeTestCore();
    const good = {
      format: 'cadence-curriculum',
      version: 1,
      kind: 'curriculum',
      name: 'Mine',
      modules: [{ week: 1, title: 'One' }],
    };
    const tryImport = (value: unknown) => core.fail('curricula.import', { json: typeof value === 'string' ? value : JSON.stringify(value) });

    expect((await tryImport('{ not json')).message).toMatch(/^This file is not valid JSON/);
    expect(await tryImport({ hello: 1 })).toMatchObject({ code: 'unsupported', message: expect.stringContaining('not a Cadence curriculum file') });
    const badWeek = await tryImport({ ...good, modules: [{ week: 1, title: 'One' }, { week: 0, title: 'Two' }] });
    expect(badWeek.code).toBe('invalid_input');
    expect(badWeek.message).toContain('Module 2: Week must be 1 or more.');
    expect((await tryImport({ ...good, version: 2 })).message).toContain('version');
    expect((await tryImport({ ...good, modules: [{ week: 1, title: 'One', links: [{}] }] })).message).toContain('Module 1, link 1: Links must name');
    expect((await tryImport({ ...good, modules: [{ week: 1, title: 'One', extra: true }] })).message).toContain('extra');
    expect((await tryImport({ ...good, kind: 'template' })).message).toContain('sources');
    expect((await core.fail('curricula.import', {})).message).toContain('either a staged file or the JSON text');
    expect((await core.fail('curricula.import', { stagedId: 'ffffffffffffffffffffffffffffffff' })).code).toBe('not_found');
    expect((await core.call('curricula.list')).curricula).toEqual([]);

    const imported = await core.call('curricula.import', { json: JSON.stringify(good) });
    expect(imported.modules.map((m) => m.title)).toEqual(['One']);
  });
});
