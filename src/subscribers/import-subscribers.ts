import { parse } from 'csv-parse/sync';
import type { Db } from '../db/database.js';
import {
  type FieldError,
  isPreferenceField,
  PREFERENCE_FIELDS,
  preferencesFromFields,
  validEmail,
} from './preferences-input.js';
import { findSubscriberByEmail, upsertSubscriberByEmail } from './subscribers.repository.js';

/**
 * `paperboy subscribers import FILE.csv`: a header row of `email` and the CLI's option names
 * (topics, exclude, follow, max-papers, …); list values separated by `;` (or `,` inside a quoted
 * field). Each row is checked on its own: a bad one is reported by line and field, the others go in.
 * Rows create active subscribers; an address already known (in any case) gets the row's values for
 * the file's columns (an empty cell means the default; a column the file lacks is left as it was)
 * and keeps its status, so a re-import updates and never re-subscribes someone who left.
 */

export interface ImportProblem extends FieldError {
  /** Line number in the file, 1 = the header. */
  line: number;
}

export interface ImportSummary {
  created: number;
  updated: number;
  problems: ImportProblem[];
}

export class ImportFileError extends Error {
  override name = 'ImportFileError';
  readonly code = 'IMPORT_FILE_INVALID' as const;
}

export async function importSubscribersCsv(db: Db, csv: string): Promise<ImportSummary> {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(csv, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof records;
  } catch (error) {
    throw new ImportFileError(`the file is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new ImportFileError('the file is empty: expected a header row starting with "email"');
  const columns = header.record.map((c) => c.trim().toLowerCase());
  const unknown = columns.filter((c) => c !== 'email' && !isPreferenceField(c));
  if (!columns.includes('email') || unknown.length > 0) {
    const known = ['email', ...Object.keys(PREFERENCE_FIELDS)].join(', ');
    const what = unknown.length
      ? `unknown column(s) ${unknown.map((c) => `"${c}"`).join(', ')}`
      : 'no "email" column';
    throw new ImportFileError(`line 1: ${what}; the header may use: ${known}`);
  }

  const summary: ImportSummary = { created: 0, updated: 0, problems: [] };
  for (const { record, info } of rows) {
    const line = info.lines;
    if (record.length !== columns.length) {
      summary.problems.push({
        line,
        field: '(row)',
        message: `has ${record.length} values, the header has ${columns.length}`,
      });
      continue;
    }
    const fields = Object.fromEntries(columns.map((c, i) => [c, record[i]]));
    const email = validEmail(fields.email);
    const prefs = preferencesFromFields(fields);
    const problems: FieldError[] = [
      ...(email ? [] : [{ field: 'email', message: `"${fields.email ?? ''}" is not an email address` }]),
      ...(prefs.errors ?? []),
    ];
    if (!email || !prefs.preferences || problems.length > 0) {
      summary.problems.push(...problems.map((p) => ({ line, ...p })));
      continue;
    }
    // Columns the file does not have leave a known subscriber's settings as they are.
    const given = Object.fromEntries(
      columns
        .filter(isPreferenceField)
        .map((c) => [PREFERENCE_FIELDS[c], prefs.preferences[PREFERENCE_FIELDS[c]]]),
    );
    const existing = await findSubscriberByEmail(db, email);
    const { created } = await upsertSubscriberByEmail(db, {
      email,
      status: 'active',
      preferences: existing ? { ...existing.preferences, ...given } : prefs.preferences,
      source: 'import',
    });
    if (created) summary.created++;
    else summary.updated++;
  }
  return summary;
}
