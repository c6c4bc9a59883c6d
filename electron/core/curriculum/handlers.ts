import fs from 'node:fs';
import type { CoreContext } from '../context';
import type { HandlersOf } from '../handlerTypes';
import type { curriculumChannels } from '../../../shared/contract/curriculum';
import { AppError } from '../../../shared/errors';
import { discardStaged, stagedPath, writeExport } from '../files';
import { makeCheckins } from './checkins';
import './checkinReminders';
import { makeCurricula } from './curricula';
import { parseCurriculumFile } from './fileFormat';
import { makeTemplates } from './templates';
import { makeToday } from './today';

/** Largest curriculum file accepted: far above any real one, small enough to read at once. */
const MAX_FILE_BYTES = 5_000_000;

export function makeCurriculumHandlers(ctx: CoreContext): HandlersOf<typeof curriculumChannels> {
  const curricula = makeCurricula(ctx);
  const checkins = makeCheckins(ctx);
  const templates = makeTemplates(ctx.paths.assetsDir, ctx.log);
  const today = makeToday(ctx, curricula, checkins);
  const changed = () => ctx.emit('data.changed', { topics: ['curricula'] });
  const checkinsChanged = () => ctx.emit('data.changed', { topics: ['checkins'] });

  function readImport(input: { stagedId?: string | undefined; json?: string | undefined }): string {
    if (input.json !== undefined) return input.json;
    const file = stagedPath(ctx.paths, input.stagedId!);
    if (fs.statSync(file).size > MAX_FILE_BYTES) {
      throw new AppError('invalid_input', 'That file is larger than 5 MB, too large for a curriculum file. Choose a curriculum exported from Cadence.');
    }
    return fs.readFileSync(file, 'utf8');
  }

  return {
    'curricula.list': () => ({ curricula: curricula.list() }),
    'curricula.get': ({ id }) => curricula.get(id),
    'curricula.templates': () => ({ templates: templates.list() }),
    'curricula.startTemplate': ({ templateKey, startDate, name }) => {
      const template = templates.get(templateKey);
      const id = curricula.createFromFile(template.file, { templateKey, startDate, name });
      changed();
      return curricula.get(id);
    },
    'curricula.create': ({ name, description, startDate }) => {
      const id = curricula.create({ name, description, startDate });
      changed();
      return curricula.get(id);
    },
    'curricula.update': ({ id, ...patch }) => {
      curricula.update(id, patch);
      changed();
      return curricula.get(id);
    },
    'curricula.delete': ({ id }) => {
      curricula.remove(id);
      changed();
      return { ok: true as const };
    },
    'curricula.reorder': ({ ids }) => {
      curricula.reorder(ids);
      changed();
      return { ok: true as const };
    },
    'curricula.export': ({ id }) => {
      const file = curricula.toFile(id);
      const json = `${JSON.stringify(file, null, 2)}\n`;
      const slug = file.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'curriculum';
      const fileName = `${slug}.curriculum.json`;
      const { downloadName } = writeExport(ctx.paths, fileName, json);
      return { downloadName, fileName, json };
    },
    'curricula.import': (input) => {
      const file = parseCurriculumFile(readImport(input));
      const id = curricula.createFromFile(file, { templateKey: null, startDate: file.startDate });
      if (input.stagedId !== undefined) discardStaged(ctx.paths, input.stagedId);
      changed();
      return curricula.get(id);
    },

    'modules.create': ({ curriculumId, links, ...fields }) => {
      const id = curricula.addModule(curriculumId, fields, links);
      changed();
      return curricula.getModule(id);
    },
    'modules.update': ({ id, ...patch }) => {
      curricula.editModule(id, patch);
      changed();
      return curricula.getModule(id);
    },
    'modules.delete': ({ id }) => {
      curricula.removeModule(id);
      changed();
      return { ok: true as const };
    },
    'modules.reorder': ({ curriculumId, ids }) => {
      curricula.reorderModules(curriculumId, ids);
      changed();
      return curricula.get(curriculumId);
    },
    'modules.setStatus': ({ id, status, date, confirm }) => {
      const result = curricula.setStatus(id, status, date, confirm);
      if (!result.needsConfirmation) changed();
      return result;
    },
    'modules.link': ({ moduleId, ...spec }) => {
      curricula.link(moduleId, spec);
      changed();
      return curricula.getModule(moduleId);
    },
    'modules.linkExamTopic': ({ moduleId, topic }) => {
      curricula.linkExamTopic(moduleId, topic);
      changed();
      return curricula.getModule(moduleId);
    },
    'modules.unlinkExamTopic': ({ moduleId, topic }) => {
      curricula.unlinkExamTopic(moduleId, topic);
      changed();
      return curricula.getModule(moduleId);
    },
    'modules.unlink': ({ linkId }) => {
      const moduleId = curricula.unlink(linkId);
      changed();
      return curricula.getModule(moduleId);
    },

    'checkins.get': () => checkins.overview(),
    'checkins.setSchedule': (input) => {
      const result = checkins.setSchedule(input);
      checkinsChanged();
      return result;
    },
    'checkins.clearSchedule': () => {
      const result = checkins.clearSchedule();
      checkinsChanged();
      return result;
    },
    'checkins.log': (input) => {
      const entry = checkins.log(input);
      checkinsChanged();
      return entry;
    },
    'checkins.updateLog': ({ id, ...patch }) => {
      const entry = checkins.updateLog(id, patch);
      checkinsChanged();
      return entry;
    },
    'checkins.deleteLog': ({ id }) => {
      checkins.deleteLog(id);
      checkinsChanged();
      return { ok: true as const };
    },

    'today.get': () => today.get(),
  };
}
