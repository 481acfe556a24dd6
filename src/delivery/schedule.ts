import { DateTime } from 'luxon';
import type { Preferences } from '../subscribers/preferences.js';

/**
 * When a subscriber is due, as pure date arithmetic. An edition is keyed by the day its papers
 * were listed (D). At their send hour on local date L a subscriber gets edition D = L − 1 day:
 * daily every day; weekdays when D is Monday to Friday; weekly when L's ISO weekday is their
 * `weeklyDay` (the digest then covers D−6..D).
 */

export type Schedule = Pick<Preferences, 'frequency' | 'weeklyDay' | 'sendHour' | 'timezone'>;

/** 'YYYY-MM-DDTHH' → the start of that UTC hour. */
export function parseUtcHour(hour: string): DateTime {
  const t = DateTime.fromISO(`${hour}:00:00`, { zone: 'utc' });
  if (!t.isValid || !/^\d{4}-\d{2}-\d{2}T\d{2}$/.test(hour)) {
    throw new RangeError(`'${hour}' is not a UTC hour (YYYY-MM-DDTHH)`);
  }
  return t;
}

export function formatUtcHour(t: DateTime | Date): string {
  const d = t instanceof Date ? DateTime.fromJSDate(t, { zone: 'utc' }) : t.toUTC();
  return d.toFormat("yyyy-MM-dd'T'HH");
}

/** The edition a subscriber is due for in the UTC hour starting at `hourStart`, or undefined. */
export function dueEditionAt(schedule: Schedule, hourStart: DateTime): string | undefined {
  const local = hourStart.setZone(schedule.timezone);
  if (!local.isValid || local.hour !== schedule.sendHour) return undefined;
  const localDate = local.startOf('day');
  const edition = localDate.minus({ days: 1 });
  return isDueFor(schedule, edition) ? edition.toISODate()! : undefined;
}

/** Whether edition `date` goes to this subscriber at all (the manual run, whatever the hour). */
export function isDueForEdition(schedule: Schedule, date: string): boolean {
  return isDueFor(schedule, DateTime.fromISO(date, { zone: 'utc' }));
}

function isDueFor(schedule: Schedule, edition: DateTime): boolean {
  switch (schedule.frequency) {
    case 'daily':
      return true;
    case 'weekdays':
      return edition.weekday <= 5;
    case 'weekly':
      return edition.plus({ days: 1 }).weekday === schedule.weeklyDay;
  }
}
