import type { Db } from '../db/database.js';
import { formatRejection, type Rejection, type SourceResult } from '../sources/source-result.js';
import { type UpsertOptions, upsertPapers } from './papers.repository.js';

/** What one ingestion did: every record read is either stored (inserted or updated) or rejected. */
export interface IngestSummary {
  read: number;
  inserted: number;
  updated: number;
  rejected: Rejection[];
  warnings: string[];
}

export function emptySummary(): IngestSummary {
  return { read: 0, inserted: 0, updated: 0, rejected: [], warnings: [] };
}

/** Stores the good records of a source result; the bad ones were already set aside by the source. */
export async function ingestResult(
  db: Db,
  result: SourceResult,
  options: UpsertOptions = {},
): Promise<IngestSummary> {
  const warnings = [...result.warnings, ...duplicateWarnings(result)];
  const counts = result.rows.length
    ? await upsertPapers(db, result.rows, options)
    : { inserted: 0, updated: 0 };
  return { read: result.read, ...counts, rejected: result.rejected, warnings };
}

export function addSummary(into: IngestSummary, from: IngestSummary): IngestSummary {
  into.read += from.read;
  into.inserted += from.inserted;
  into.updated += from.updated;
  into.rejected.push(...from.rejected);
  into.warnings.push(...from.warnings);
  return into;
}

/** Records that were valid, whether stored fresh or refreshed. */
export function storedCount(summary: IngestSummary): number {
  return summary.inserted + summary.updated;
}

/** Lines for a person: each rejected record and warning, then one summary line. */
export function describeSummary(summary: IngestSummary): { problems: string[]; line: string } {
  const problems = [
    ...summary.rejected.map((r) => `rejected ${formatRejection(r)}`),
    ...summary.warnings.map((w) => `warning: ${w}`),
  ];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const line =
    `read ${plural(summary.read, 'record')}: ${summary.inserted} new, ${summary.updated} updated, ` +
    `${summary.rejected.length} rejected, ${plural(summary.warnings.length, 'warning')}`;
  return { problems, line };
}

function duplicateWarnings(result: SourceResult): string[] {
  const seen = new Map<string, number>();
  for (const row of result.rows) seen.set(row.id, (seen.get(row.id) ?? 0) + 1);
  return [...seen]
    .filter(([, n]) => n > 1)
    .map(([id, n]) => `id ${id} appears ${n} times; the last one was kept`);
}
