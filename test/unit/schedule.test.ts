import { describe, expect, it } from 'vitest';
import { dueEditionAt, isDueForEdition, parseUtcHour, type Schedule } from '../../src/delivery/schedule.js';
import { assertHandlers, jobIds, parsePayload } from '../../src/queues.js';

const s = (over: Partial<Schedule>): Schedule => ({
  frequency: 'daily',
  weeklyDay: 1,
  sendHour: 7,
  timezone: 'UTC',
  ...over,
});

describe('when a subscriber is due', () => {
  it('gives yesterday’s edition at the local send hour, in the subscriber’s own time zone', () => {
    // 2026-11-26 is a Thursday.
    expect(dueEditionAt(s({}), parseUtcHour('2026-11-26T07'))).toBe('2026-11-25');
    expect(dueEditionAt(s({}), parseUtcHour('2026-11-26T08'))).toBeUndefined();
    // Berlin is UTC+1 in November: 07:00 local is 06:00 UTC.
    expect(dueEditionAt(s({ timezone: 'Europe/Berlin' }), parseUtcHour('2026-11-26T06'))).toBe('2026-11-25');
    // Auckland (UTC+13): 07:00 on the 27th local is 18:00 UTC on the 26th.
    expect(dueEditionAt(s({ timezone: 'Pacific/Auckland' }), parseUtcHour('2026-11-26T18'))).toBe(
      '2026-11-26',
    );
    // Los Angeles (UTC−8): 20:00 on the 25th local is 04:00 UTC on the 26th.
    expect(
      dueEditionAt(s({ timezone: 'America/Los_Angeles', sendHour: 20 }), parseUtcHour('2026-11-26T04')),
    ).toBe('2026-11-24');
  });

  it('sends weekday digests for Monday to Friday lists only', () => {
    // Saturday 28th: the Friday list goes out. Sunday 29th: the Saturday list, not for weekdays.
    expect(dueEditionAt(s({ frequency: 'weekdays' }), parseUtcHour('2026-11-28T07'))).toBe('2026-11-27');
    expect(dueEditionAt(s({ frequency: 'weekdays' }), parseUtcHour('2026-11-29T07'))).toBeUndefined();
    expect(dueEditionAt(s({ frequency: 'weekdays' }), parseUtcHour('2026-11-30T07'))).toBeUndefined();
    expect(dueEditionAt(s({ frequency: 'daily' }), parseUtcHour('2026-11-29T07'))).toBe('2026-11-28');
  });

  it('sends weekly digests on the chosen local weekday', () => {
    // Monday 30 November: edition Sunday the 29th (covering the 23rd to the 29th).
    expect(dueEditionAt(s({ frequency: 'weekly', weeklyDay: 1 }), parseUtcHour('2026-11-30T07'))).toBe(
      '2026-11-29',
    );
    expect(
      dueEditionAt(s({ frequency: 'weekly', weeklyDay: 1 }), parseUtcHour('2026-11-26T07')),
    ).toBeUndefined();
    expect(isDueForEdition(s({ frequency: 'weekly', weeklyDay: 5 }), '2026-11-26')).toBe(true);
    expect(isDueForEdition(s({ frequency: 'weekly', weeklyDay: 4 }), '2026-11-26')).toBe(false);
    expect(isDueForEdition(s({ frequency: 'weekdays' }), '2026-11-28')).toBe(false);
  });

  it('rejects a malformed hour', () => {
    expect(() => parseUtcHour('2026-11-26 07')).toThrow(/YYYY-MM-DDTHH/);
  });
});

describe('job registry', () => {
  it('builds deterministic ids without colons', () => {
    expect(jobIds.planHour('2026-11-24T07')).toBe('plan-2026-11-24-h07');
    expect(jobIds.sendBatch('2026-11-24-1201')).toBe('send-2026-11-24-1201');
  });

  it('validates payloads with a message naming the job and field', () => {
    expect(parsePayload('send-batch', { batchKey: 'k', editionDate: '2026-11-24' }).batchKey).toBe('k');
    expect(() => parsePayload('plan-hour', { hour: 'soon' })).toThrow(
      /'plan-hour'.*hour must be YYYY-MM-DDTHH/,
    );
  });

  it('fails at start-up when a job has no handler or two', () => {
    const all = [{ name: 'plan-hour' }, { name: 'plan-day' }, { name: 'send-batch' }];
    expect(() => assertHandlers(all)).not.toThrow();
    expect(() => assertHandlers(all.slice(1))).toThrow(/'plan-hour' has no handler/);
    expect(() => assertHandlers([...all, { name: 'send-batch' }])).toThrow(/'send-batch' has 2 handlers/);
  });
});
