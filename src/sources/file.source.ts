import { readFile } from 'node:fs/promises';
import { validateDailyPapers } from './daily-papers.schema.js';
import { SourceError, type SourceResult } from './source-result.js';

/** A JSON file holding an array of daily_papers items (the demo's sample, exports, benchmarks). */
export async function readDailyPapersFile(path: string): Promise<SourceResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : String(error);
    throw new SourceError('SOURCE_FILE', `cannot read ${path}: ${why}`);
  }
  let items: unknown;
  try {
    items = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new SourceError('SOURCE_FILE', `${path} is not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(items)) {
    const what = items === null ? 'null' : typeof items;
    throw new SourceError('SOURCE_FILE', `${path} must hold a JSON array of daily_papers items, not ${what}`);
  }
  return validateDailyPapers(items, { source: 'file' });
}
