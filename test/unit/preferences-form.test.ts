import { describe, expect, it } from 'vitest';
import { formValuesFrom, parsePreferencesForm, preferencesToForm } from '../../src/http/preferences-form.js';
import { defaultPreferences } from '../../src/subscribers/preferences.js';
import { describeSchedule } from '../../src/subscribers/subscription-emails.js';

describe('preferences form', () => {
  it('round-trips every preference through the form text', () => {
    const preferences = {
      ...defaultPreferences,
      topics: ['multi-agent', 'reinforcement learning'],
      follow: ['Meta AI'],
      maxPapers: 5,
      frequency: 'weekly' as const,
      weeklyDay: 5,
      sendHour: 18,
      timezone: 'America/New_York',
    };
    const parsed = parsePreferencesForm(preferencesToForm(preferences));
    expect(parsed).toEqual({ ok: true, preferences });
  });

  it('reports each bad field by name and keeps every typed value', () => {
    const values = formValuesFrom({
      ...preferencesToForm(defaultPreferences),
      maxPapers: '0',
      sendHour: '7pm',
      template: 'fancy',
      topics: `${'x'.repeat(101)}, fine`,
      unknown: 'ignored',
    });
    const parsed = parsePreferencesForm(values);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(['maxPapers', 'sendHour', 'template', 'topics']);
    expect(parsed.errors.maxPapers).toBe('must be between 1 and 50');
    expect(parsed.errors.sendHour).toBe('must be a whole number');
    expect(parsed.errors.topics).toBe('entry 1 is too long (at most 100 characters)');
    expect(parsed.values.sendHour).toBe('7pm');
    expect(parsed.values).not.toHaveProperty('unknown');
  });

  it('treats a missing or non-text field as empty, not as a crash', () => {
    const parsed = parsePreferencesForm(formValuesFrom({ topics: ['array'], maxPapers: 3 }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors.timezone).toBe('is required');
  });

  it('describes the schedule in the subscriber’s own time', () => {
    expect(describeSchedule(defaultPreferences)).toBe('every day at 07:00 (UTC)');
    expect(
      describeSchedule({ frequency: 'weekly', weeklyDay: 1, sendHour: 18, timezone: 'Europe/Berlin' }),
    ).toBe('every Monday at 18:00 (Europe/Berlin)');
  });
});
