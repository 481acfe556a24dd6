import os from 'node:os';
import type { Command } from 'commander';
import { createContext } from '../context.js';
import type { SuppressionRow } from '../db/schema.js';
import {
  findSuppression,
  listSuppressions,
  removeSuppression,
  suppress,
} from '../subscribers/suppressions.repository.js';

/** `paperboy suppressions list|add|remove`: the operator's view of the addresses never mailed. */
export function registerSuppressions(program: Command): void {
  const command = program
    .command('suppressions')
    .description('List, add or lift suppressed addresses (hard bounces, complaints, manual entries)');

  command
    .command('list')
    .description('Show the suppressed addresses, newest first')
    .option('--all', 'include entries lifted by an operator, with who lifted them and why')
    .action(async (options: { all?: boolean }) => {
      await withDb(async (db) => {
        const rows = await listSuppressions(db, { includeRemoved: options.all });
        console.log(
          rows.length ? formatSuppressions(rows, options.all ?? false) : 'No suppressed addresses.',
        );
      });
    });

  command
    .command('add <email>')
    .description('Suppress an address by hand')
    .requiredOption('--reason <text>', 'why (kept with the entry)')
    .action(async (email: string, options: { reason: string }) => {
      const address = checkedAddress(email);
      const reason = checkedReason(options.reason);
      await withDb(async (db) => {
        const existing = await findSuppression(db, address);
        if (existing) {
          console.log(
            `${address} is already suppressed (${existing.reason}, since ${since(existing.created_at)}).`,
          );
          return;
        }
        await suppress(db, address, 'manual', reason);
        console.log(`Suppressed ${address}: no email will be sent to it.`);
      });
    });

  command
    .command('remove <email>')
    .description('Lift a suppression; the entry is kept as history with your reason')
    .requiredOption('--reason <text>', 'why the address may be mailed again (required)')
    .option('--by <name>', 'who is lifting it (default: your login name)')
    .action(async (email: string, options: { reason: string; by?: string }) => {
      const address = checkedAddress(email);
      const reason = checkedReason(options.reason);
      const by = options.by?.trim() || operatorName();
      await withDb(async (db) => {
        if (!(await removeSuppression(db, address, reason, by))) {
          throw new Error(`${address} is not suppressed (see: paperboy suppressions list --all)`);
        }
        console.log(`Lifted the suppression of ${address} (by ${by}: ${reason}).`);
      });
    });
}

async function withDb(fn: (db: Awaited<ReturnType<typeof createContext>>['db']) => Promise<void>) {
  const ctx = await createContext({ poolSize: 2 });
  try {
    await fn(ctx.db);
  } finally {
    await ctx.close();
  }
}

function checkedAddress(email: string): string {
  const address = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(address)) {
    throw new Error(`"${email}" is not an email address (expected something like ada@example.org)`);
  }
  return address;
}

function checkedReason(reason: string): string {
  if (!reason.trim()) throw new Error('--reason must say why (it is kept with the entry)');
  return reason.trim();
}

function operatorName(): string {
  try {
    return process.env.USER || os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

const since = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');

/** A plain-text table; `all` adds whether, when, by whom and why an entry was lifted. */
export function formatSuppressions(rows: SuppressionRow[], all: boolean): string {
  const header = ['EMAIL', 'REASON', 'DETAIL', 'SINCE', ...(all ? ['REMOVED'] : [])];
  const lines = rows.map((r) => [
    r.email,
    r.reason,
    shorten(r.detail ?? '', 60),
    since(r.created_at),
    ...(all
      ? [r.removed_at ? `${since(r.removed_at)} by ${r.removed_by ?? '?'}: ${r.removed_reason ?? ''}` : '']
      : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  return [header, ...lines]
    .map((cells) =>
      cells
        .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
