import fs from 'node:fs';
import path from 'node:path';
import type { TemplateInfo } from '../../../shared/contract/curriculum';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../context';
import { parseCurriculumFile, type CurriculumFile } from './fileFormat';

export interface Template {
  key: string;
  file: CurriculumFile;
}

/** The bundled curriculum templates (assets/curricula/<key>.json), read once. A broken file is logged and left out. */
export function makeTemplates(assetsDir: string, log: Logger) {
  let loaded: Template[] | null = null;

  function all(): Template[] {
    if (loaded) return loaded;
    const dir = path.join(assetsDir, 'curricula');
    const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort() : [];
    loaded = [];
    for (const name of names) {
      try {
        const file = parseCurriculumFile(fs.readFileSync(path.join(dir, name), 'utf8'));
        if (file.kind !== 'template') throw new Error('kind is not "template"');
        loaded.push({ key: name.slice(0, -'.json'.length), file });
      } catch (err) {
        log.error(`Curriculum template ${name} was left out`, err);
      }
    }
    return loaded;
  }

  function get(key: string): Template {
    const t = all().find((x) => x.key === key);
    if (!t) throw new AppError('not_found', `There is no curriculum template "${key}". Choose one from the list.`);
    return t;
  }

  function info(t: Template): TemplateInfo {
    return {
      key: t.key,
      name: t.file.name,
      description: t.file.description,
      basis: t.file.basis,
      weeks: Math.max(0, ...t.file.modules.map((m) => m.week)),
      moduleCount: t.file.modules.length,
      sources: t.file.sources,
    };
  }

  return { list: () => all().map(info), get };
}
