import { studyDate } from '../../../shared/studyDay';
import type {
  CurriculumDetail,
  CurriculumModule,
  CurriculumSummary,
  Mastery,
  ModuleBrief,
  ModuleStatus,
  Resource,
} from '../../../shared/contract/curriculum';
import { AppError } from '../../../shared/errors';
import type { CoreContext } from '../context';
import { makeSettingsStore } from '../settings';
import type { CurriculumFile } from './fileFormat';
import { makeMastery, type Thresholds } from './mastery';
import { currentAndNext, pace, plannedBy } from './pace';
import { longDate } from '../certifications/dates';

interface CurriculumRow {
  id: number;
  name: string;
  description: string;
  basis: string;
  template_key: string | null;
  start_date: string | null;
  position: number;
}

interface ModuleRow {
  id: number;
  curriculum_id: number;
  position: number;
  week: number;
  title: string;
  description: string;
  objectives: string;
  resources: string;
  status: ModuleStatus;
  started_on: string | null;
  done_on: string | null;
  notes: string;
  mastery_waived_at: number | null;
}

export interface NewCurriculum {
  name: string;
  description: string;
  basis?: string;
  templateKey?: string | null;
  startDate: string | null;
}

export interface ModuleFields {
  week: number;
  title: string;
  description: string;
  objectives: string[];
  resources: Resource[];
  notes: string;
}

export interface LinkSpec {
  deckId?: number | undefined;
  deckPath?: string | undefined;
  tagPrefix?: string | undefined;
}

const MODULE_COLUMNS =
  'id, curriculum_id, position, week, title, description, objectives, resources, status, started_on, done_on, notes, mastery_waived_at';
const CURRICULUM_COLUMNS = 'id, name, description, basis, template_key, start_date, position';

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Curricula, their modules and module progress; mastery comes from the linked cards. */
/** Done / in progress / total of a curriculum's modules. */
function progressOf(rows: readonly { status: string }[]) {
  return {
    done: rows.filter((m) => m.status === 'done').length,
    inProgress: rows.filter((m) => m.status === 'in_progress').length,
    total: rows.length,
  };
}

export function makeCurricula(ctx: CoreContext) {
  const { db } = ctx;
  const settings = makeSettingsStore(db);
  const mastery = makeMastery(db);

  const selectAll = db.prepare<[], CurriculumRow>(`SELECT ${CURRICULUM_COLUMNS} FROM curricula ORDER BY position, id`);
  const selectOne = db.prepare<[number], CurriculumRow>(`SELECT ${CURRICULUM_COLUMNS} FROM curricula WHERE id = ?`);
  const selectModules = db.prepare<[number], ModuleRow>(`SELECT ${MODULE_COLUMNS} FROM curriculum_modules WHERE curriculum_id = ? ORDER BY position, id`);
  const selectAllModules = db.prepare<[], ModuleRow>(`SELECT ${MODULE_COLUMNS} FROM curriculum_modules ORDER BY curriculum_id, position, id`);
  const selectModule = db.prepare<[number], ModuleRow>(`SELECT ${MODULE_COLUMNS} FROM curriculum_modules WHERE id = ?`);
  const nextCurriculumPosition = db.prepare<[], { p: number }>('SELECT coalesce(max(position), -1) + 1 AS p FROM curricula');
  const nextModulePosition = db.prepare<[number], { p: number }>(
    'SELECT coalesce(max(position), -1) + 1 AS p FROM curriculum_modules WHERE curriculum_id = ?',
  );
  const insertCurriculum = db.prepare(
    `INSERT INTO curricula (name, description, basis, template_key, start_date, position, created_at, updated_at)
     VALUES (@name, @description, @basis, @templateKey, @startDate, @position, @now, @now)`,
  );
  const updateCurriculum = db.prepare(
    'UPDATE curricula SET name = @name, description = @description, start_date = @startDate, updated_at = @now WHERE id = @id',
  );
  const touchCurriculum = db.prepare('UPDATE curricula SET updated_at = ? WHERE id = ?');
  const deleteCurriculum = db.prepare('DELETE FROM curricula WHERE id = ?');
  const setCurriculumPosition = db.prepare('UPDATE curricula SET position = ? WHERE id = ?');
  const insertModule = db.prepare(
    `INSERT INTO curriculum_modules (curriculum_id, position, week, title, description, objectives, resources, status, started_on, done_on, notes, created_at, updated_at)
     VALUES (@curriculumId, @position, @week, @title, @description, @objectives, @resources, @status, @startedOn, @doneOn, @notes, @now, @now)`,
  );
  const updateModule = db.prepare(
    `UPDATE curriculum_modules SET week = @week, title = @title, description = @description, objectives = @objectives,
       resources = @resources, notes = @notes, updated_at = @now WHERE id = @id`,
  );
  const updateStatus = db.prepare(
    `UPDATE curriculum_modules SET status = @status, started_on = @startedOn, done_on = @doneOn,
       mastery_waived_at = @waivedAt, updated_at = @now WHERE id = @id`,
  );
  const setModulePosition = db.prepare('UPDATE curriculum_modules SET position = ? WHERE id = ?');
  const deleteModule = db.prepare('DELETE FROM curriculum_modules WHERE id = ?');
  const deleteLink = db.prepare('DELETE FROM curriculum_links WHERE id = ?');
  const selectLink = db.prepare<[number], { module_id: number }>('SELECT module_id FROM curriculum_links WHERE id = ?');

  function thresholds(): Thresholds {
    const s = settings.get();
    return { recall: s.masteryRecallThreshold, reviewed: s.masteryReviewedThreshold };
  }

  function today(): string {
    return studyDate(ctx.clock.now(), settings.get().dayRolloverHour);
  }

  function requireCurriculum(id: number): CurriculumRow {
    const row = selectOne.get(id);
    if (!row) throw new AppError('not_found', 'That curriculum no longer exists. It may have been deleted in another window.');
    return row;
  }

  function requireModule(id: number): ModuleRow {
    const row = selectModule.get(id);
    if (!row) throw new AppError('not_found', 'That module no longer exists. It may have been deleted in another window.');
    return row;
  }

  function toModule(row: ModuleRow, startDate: string | null, links: ReturnType<typeof mastery.linksFor>, t: Thresholds, now: number): CurriculumModule {
    const entry = links.get(row.id) ?? { rows: [], links: [], examTopics: [] };
    return {
      id: row.id,
      curriculumId: row.curriculum_id,
      position: row.position,
      week: row.week,
      title: row.title,
      description: row.description,
      objectives: JSON.parse(row.objectives) as string[],
      resources: JSON.parse(row.resources) as Resource[],
      links: entry.links,
      status: row.status,
      startedOn: row.started_on,
      doneOn: row.done_on,
      notes: row.notes,
      plannedBy: plannedBy(startDate, row.week),
      doneDespiteMastery: row.mastery_waived_at !== null && row.status === 'done',
      examTopics: entry.examTopics,
      mastery: mastery.measure(entry, now, t),
    };
  }

  function brief(row: ModuleRow, startDate: string | null, m: Mastery): ModuleBrief {
    return { id: row.id, week: row.week, title: row.title, status: row.status, plannedBy: plannedBy(startDate, row.week), mastery: m };
  }

  /** Summary of one curriculum from its module rows: mastery is measured only for the current and next module. */
  function summarize(c: CurriculumRow, rows: ModuleRow[], day: string, t: Thresholds, now: number): CurriculumSummary {
    const { current, next } = currentAndNext(rows);
    const focus = [current, next].filter((m): m is ModuleRow => m !== null);
    const links = mastery.linksFor(focus.map((m) => m.id));
    const measured = (m: ModuleRow | null) => (m ? brief(m, c.start_date, mastery.measure(links.get(m.id) ?? { rows: [], links: [], examTopics: [] }, now, t)) : null);
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      startDate: c.start_date,
      templateKey: c.template_key,
      position: c.position,
      progress: progressOf(rows),
      pace: pace(rows, c.start_date, day),
      current: measured(current),
      next: measured(next),
    };
  }

  function list(): CurriculumSummary[] {
    const day = today();
    const t = thresholds();
    const now = ctx.clock.now();
    const byCurriculum = new Map<number, ModuleRow[]>();
    for (const m of selectAllModules.all()) {
      const list = byCurriculum.get(m.curriculum_id) ?? [];
      list.push(m);
      byCurriculum.set(m.curriculum_id, list);
    }
    return selectAll.all().map((c) => summarize(c, byCurriculum.get(c.id) ?? [], day, t, now));
  }

  function get(id: number): CurriculumDetail {
    const c = requireCurriculum(id);
    const rows = selectModules.all(id);
    const t = thresholds();
    const now = ctx.clock.now();
    const links = mastery.linksFor(rows.map((m) => m.id));
    const modules = rows.map((m) => toModule(m, c.start_date, links, t, now));
    const byId = new Map(modules.map((m) => [m.id, m]));
    const { current, next } = currentAndNext(rows);
    const asBrief = (m: ModuleRow | null) => (m ? brief(m, c.start_date, byId.get(m.id)!.mastery) : null);
    return {
      id: c.id,
      name: c.name,
      description: c.description,
      basis: c.basis,
      startDate: c.start_date,
      templateKey: c.template_key,
      position: c.position,
      progress: progressOf(rows),
      pace: pace(rows, c.start_date, today()),
      current: asBrief(current),
      next: asBrief(next),
      modules,
      thresholds: t,
    };
  }

  function getModule(id: number): CurriculumModule {
    const row = requireModule(id);
    const c = requireCurriculum(row.curriculum_id);
    return toModule(row, c.start_date, mastery.linksFor([row.id]), thresholds(), ctx.clock.now());
  }

  const create = db.transaction((input: NewCurriculum): number => {
    const now = ctx.clock.now();
    const result = insertCurriculum.run({
      name: input.name,
      description: input.description,
      basis: input.basis ?? '',
      templateKey: input.templateKey ?? null,
      startDate: input.startDate,
      position: nextCurriculumPosition.get()!.p,
      now,
    });
    return Number(result.lastInsertRowid);
  });

  const update = db.transaction((id: number, patch: { name?: string | undefined; description?: string | undefined; startDate?: string | null | undefined }) => {
    const c = requireCurriculum(id);
    updateCurriculum.run({
      id,
      name: patch.name ?? c.name,
      description: patch.description ?? c.description,
      startDate: patch.startDate === undefined ? c.start_date : patch.startDate,
      now: ctx.clock.now(),
    });
  });

  function remove(id: number): void {
    requireCurriculum(id);
    deleteCurriculum.run(id); // modules and links follow by ON DELETE CASCADE
  }

  /** Checks that `ids` is exactly the set `existing`, in some order. */
  function assertPermutation(ids: readonly number[], existing: readonly number[], what: string): void {
    const set = new Set(ids);
    const same = set.size === ids.length && ids.length === existing.length && existing.every((x) => set.has(x));
    if (!same) {
      throw new AppError('invalid_input', `The new order must list every one of the ${existing.length} ${what} exactly once; the list may be out of date, so reload and try again.`);
    }
  }

  const reorder = db.transaction((ids: readonly number[]) => {
    assertPermutation(ids, selectAll.all().map((c) => c.id), 'curricula');
    ids.forEach((id, i) => setCurriculumPosition.run(i, id));
  });

  const addModule = db.transaction((curriculumId: number, fields: ModuleFields, links: readonly LinkSpec[]): number => {
    requireCurriculum(curriculumId);
    const now = ctx.clock.now();
    const result = insertModule.run({
      curriculumId,
      position: nextModulePosition.get(curriculumId)!.p,
      week: fields.week,
      title: fields.title,
      description: fields.description,
      objectives: JSON.stringify(fields.objectives),
      resources: JSON.stringify(fields.resources),
      status: 'not_started',
      startedOn: null,
      doneOn: null,
      notes: fields.notes,
      now,
    });
    const moduleId = Number(result.lastInsertRowid);
    for (const link of links) mastery.add(moduleId, link);
    touchCurriculum.run(now, curriculumId);
    return moduleId;
  });

  const editModule = db.transaction((id: number, patch: Partial<ModuleFields>) => {
    const row = requireModule(id);
    updateModule.run({
      id,
      week: patch.week ?? row.week,
      title: patch.title ?? row.title,
      description: patch.description ?? row.description,
      objectives: patch.objectives ? JSON.stringify(patch.objectives) : row.objectives,
      resources: patch.resources ? JSON.stringify(patch.resources) : row.resources,
      notes: patch.notes ?? row.notes,
      now: ctx.clock.now(),
    });
  });

  function removeModule(id: number): void {
    requireModule(id);
    deleteModule.run(id);
  }

  const reorderModules = db.transaction((curriculumId: number, ids: readonly number[]) => {
    requireCurriculum(curriculumId);
    assertPermutation(ids, selectModules.all(curriculumId).map((m) => m.id), 'modules of this curriculum');
    ids.forEach((id, i) => setModulePosition.run(i, id));
    touchCurriculum.run(ctx.clock.now(), curriculumId);
  });

  const link = db.transaction((moduleId: number, spec: LinkSpec) => {
    requireModule(moduleId);
    mastery.add(moduleId, spec);
  });

  /** Exam topics a module links (exams/): its mastery then includes recent mock exam results on them. */
  const linkExamTopic = db.transaction((moduleId: number, topic: string) => {
    requireModule(moduleId);
    mastery.linkExamTopic(moduleId, topic);
  });
  function unlinkExamTopic(moduleId: number, topic: string): void {
    requireModule(moduleId);
    mastery.unlinkExamTopic(moduleId, topic);
  }

  function unlink(linkId: number): number {
    const row = selectLink.get(linkId);
    if (!row) throw new AppError('not_found', 'That link no longer exists.');
    deleteLink.run(linkId);
    return row.module_id;
  }

  type StatusResult = { needsConfirmation: false; module: CurriculumModule } | { needsConfirmation: true; message: string; mastery: Mastery };

  /**
   * Moves a module to a status, dating it (today unless given). Marking done while its mastery is not
   * ready asks first (nothing changes) unless confirmed; the choice is remembered, so it asks once.
   */
  const setStatus = db.transaction((id: number, status: ModuleStatus, date: string | undefined, confirm: boolean): StatusResult => {
    const row = requireModule(id);
    const day = today();
    if (date !== undefined && date > day) throw new AppError('invalid_input', `The date must not be in the future (today is ${longDate(day)}).`);
    const on = date ?? day;
    let waivedAt = row.mastery_waived_at;
    if (status === 'done' && row.status !== 'done' && waivedAt === null) {
      const module = getModule(id);
      const m = module.mastery;
      if (m.ready === false) {
        if (!confirm) {
          const t = thresholds();
          const recall = m.meanRecall === null ? 'no card reviewed yet' : `recall ${pct(m.meanRecall)} (aim: ${pct(t.recall)})`;
          const reviewed = `${m.reviewed} of ${m.cards} cards reviewed (aim: ${pct(t.reviewed)})`;
          return {
            needsConfirmation: true,
            message: `"${row.title}" is not mastered yet: ${recall}, ${reviewed}. Mark it done anyway?`,
            mastery: m,
          };
        }
        waivedAt = ctx.clock.now();
      }
    }
    let startedOn = row.started_on;
    let doneOn = row.done_on;
    if (status === 'not_started') {
      startedOn = null;
      doneOn = null;
    } else if (status === 'in_progress') {
      startedOn = date ?? startedOn ?? day;
      doneOn = null;
    } else {
      doneOn = row.status === 'done' && date === undefined ? doneOn : on;
      startedOn = startedOn === null || startedOn > doneOn! ? doneOn : startedOn;
    }
    updateStatus.run({ id, status, startedOn, doneOn, waivedAt, now: ctx.clock.now() });
    touchCurriculum.run(ctx.clock.now(), row.curriculum_id);
    return { needsConfirmation: false, module: getModule(id) };
  });

  /** Adds a whole curriculum file (template or import) in one transaction; returns the new id. */
  const createFromFile = db.transaction((file: CurriculumFile, options: { templateKey: string | null; startDate: string | null; name?: string | undefined }) => {
    const curriculumId = create({
      name: options.name ?? file.name,
      description: file.description,
      basis: file.basis,
      templateKey: options.templateKey,
      startDate: options.startDate,
    });
    const now = ctx.clock.now();
    file.modules.forEach((m, position) => {
      const p = m.progress;
      const result = insertModule.run({
        curriculumId,
        position,
        week: m.week,
        title: m.title,
        description: m.description,
        objectives: JSON.stringify(m.objectives),
        resources: JSON.stringify(m.resources),
        status: p?.status ?? 'not_started',
        startedOn: p && p.status !== 'not_started' ? p.startedOn : null,
        doneOn: p && p.status === 'done' ? p.doneOn : null,
        notes: p?.notes ?? '',
        now,
      });
      const moduleId = Number(result.lastInsertRowid);
      for (const l of m.links) mastery.add(moduleId, { deckPath: l.deck, tagPrefix: l.tag });
    });
    return curriculumId;
  });

  /** The curriculum as a file: modules, links (by deck path and tag) and progress. */
  function toFile(id: number): CurriculumFile {
    const detail = get(id);
    return {
      format: 'cadence-curriculum',
      version: 1,
      kind: 'curriculum',
      name: detail.name,
      description: detail.description,
      basis: detail.basis,
      sources: [],
      startDate: detail.startDate,
      modules: detail.modules.map((m) => ({
        week: m.week,
        title: m.title,
        description: m.description,
        objectives: m.objectives,
        resources: m.resources,
        links: m.links.map((l) => ({
          ...(l.deckPath !== null ? { deck: l.deckPath } : {}),
          ...(l.tagPrefix !== null ? { tag: l.tagPrefix } : {}),
        })),
        progress: { status: m.status, startedOn: m.startedOn, doneOn: m.doneOn, notes: m.notes },
      })),
    };
  }

  return {
    list,
    get,
    getModule,
    create,
    update,
    remove,
    reorder,
    addModule,
    editModule,
    removeModule,
    reorderModules,
    link,
    unlink,
    linkExamTopic,
    unlinkExamTopic,
    setStatus,
    createFromFile,
    toFile,
    moduleCurriculum: (moduleId: number) => requireModule(moduleId).curriculum_id,
  };
}
export type Curricula = ReturnType<typeof makeCurricula>;
