import type { FastifyBaseLogger } from 'fastify';
import { isMinflowError } from '../../errors/registry.js';
import type { ErrorDetail } from '../../errors/types.js';
import { listDefinitionFolders, listItemFiles, loadDefinitionFolder, loadItemFile } from './folder.js';
import { contentHash, type DefinitionInput } from './model.js';
import type { DefinitionsService } from './service.js';
import { checkForPublish } from './validate.js';

export const SYSTEM_ACTOR = 'system';

export interface ImportReport {
  /** Published now (version 1 on a fresh store). */
  published: string[];
  /** Left alone: already published, or a draft with local changes exists. */
  skipped: Array<{ key: string; reason: string }>;
  /** Broken folders, with their problems; the engine starts anyway. */
  failed: Array<{ key: string; problems: ErrorDetail[] }>;
}

/**
 * First-start import of `definitions/<key>/` folders (and of exported `*.minflow.json` item files): each item that has no published version yet
 * is imported as a draft (unless a draft with other content exists: an admin's work is never
 * overwritten) and published as actor `system`. Idempotent across restarts and safe when several
 * engine processes start together (the loser of a race sees the item as existing / unchanged).
 */
export async function importDefinitions(
  service: DefinitionsService,
  dir: string,
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>,
): Promise<ImportReport> {
  const report: ImportReport = { published: [], skipped: [], failed: [] };
  const loaded: DefinitionInput[] = [];
  for (const folder of await listDefinitionFolders(dir)) {
    const result = await loadDefinitionFolder(folder);
    if (result.ok) loaded.push(result.input);
    else report.failed.push({ key: folder, problems: result.problems });
  }
  for (const file of await listItemFiles(dir)) {
    const result = await loadItemFile(file);
    if (!result.ok) report.failed.push({ key: file, problems: result.problems });
    else if (loaded.some((d) => d.key === result.input.key)) {
      report.failed.push({
        key: file,
        problems: [{ path: '', message: `a folder already defines "${result.input.key}"` }],
      });
    } else loaded.push(result.input);
  }
  const folderKeys = new Set(loaded.map((d) => d.key));

  // Pass 1: validate and create the drafts (so call activities may refer to any item of the import).
  const toPublish: string[] = [];
  for (const input of loaded) {
    try {
      if (await service.catalogEntry(input.key)) {
        report.skipped.push({ key: input.key, reason: 'already published' });
        continue;
      }
      const hash = contentHash(input);
      const existing = await service.get(input.key).catch((err) => {
        if (isMinflowError(err) && err.code === 'MINFLOW_ERR_DEFINITIONS_NOT_FOUND') return null;
        throw err;
      });
      if (existing && existing.hash !== hash) {
        report.skipped.push({
          key: input.key,
          reason: 'a draft with other content exists; publish it from the designer',
        });
        continue;
      }
      const { problems } = await checkForPublish(input, 'en', {
        key: input.key,
        itemExists: async (k) => folderKeys.has(k) || (await service.itemExists(k)),
      });
      if (problems.length) {
        report.failed.push({ key: input.key, problems });
        continue;
      }
      if (!existing) {
        await service.create(input, SYSTEM_ACTOR, 'en').catch((err) => {
          // Another engine process created it a moment ago: same content, carry on.
          if (!(isMinflowError(err) && err.code === 'MINFLOW_ERR_DEFINITIONS_EXISTS')) throw err;
        });
      }
      toPublish.push(input.key);
    } catch (err) {
      report.failed.push({ key: input.key, problems: [{ path: '', message: (err as Error).message }] });
    }
  }
  // Pass 2: publish.
  for (const key of toPublish) {
    try {
      await service.publish(key, SYSTEM_ACTOR, 'en');
      report.published.push(key);
    } catch (err) {
      const problems =
        isMinflowError(err) && err.details.length ? err.details : [{ path: '', message: (err as Error).message }];
      report.failed.push({ key, problems });
    }
  }

  for (const f of report.failed) {
    log?.error(
      { definition: f.key, problems: f.problems },
      `definition ${f.key} not imported: ${f.problems.length} problem(s)`,
    );
  }
  if (report.published.length)
    log?.info({ published: report.published }, `published ${report.published.length} definition(s)`);
  for (const s of report.skipped.filter((x) => x.reason !== 'already published')) {
    log?.warn({ definition: s.key }, `definition ${s.key} not imported: ${s.reason}`);
  }
  return report;
}
