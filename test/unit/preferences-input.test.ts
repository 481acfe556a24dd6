import { describe, expect, it } from 'vitest';
import { preferencesFromFields, splitList, validEmail } from '../../src/subscribers/preferences-input.js';

describe('preferences typed by people', () => {
  it('splits lists on ";" or ",", trimming and dropping empties', () => {
    expect(splitList(' multi-agent; reinforcement learning ,, diffusion ')).toEqual([
      'multi-agent',
      'reinforcement learning',
      'diffusion',
    ]);
  });

  it('turns kebab-case fields into validated preferences, empty meaning default', () => {
    const result = preferencesFromFields({
      topics: 'rl; speech',
      'max-papers': '5',
      'send-hour': '',
      'quiet-day': 'note',
    });
    expect(result.preferences).toMatchObject({
      topics: ['rl', 'speech'],
      maxPapers: 5,
      sendHour: 7,
      quietDay: 'note',
    });
  });

  it('names every bad field with the reason', () => {
    const result = preferencesFromFields({
      'max-papers': 'ten',
      'weekly-day': '9',
      timezone: 'Mars/Olympus',
      template: 'fancy',
    });
    expect(result.errors).toEqual([
      { field: 'max-papers', message: 'must be a whole number, got "ten"' },
      { field: 'weekly-day', message: expect.stringContaining('7') },
      { field: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin' },
      { field: 'template', message: expect.stringContaining('classic') },
    ]);
  });

  it('accepts plausible email addresses only', () => {
    expect(validEmail(' ada@example.org ')).toBe('ada@example.org');
    expect(validEmail('ada@')).toBeUndefined();
    expect(validEmail('not an email')).toBeUndefined();
  });
});
