import { z } from 'zod';
import { type Preferences, preferencesSchema } from './preferences.js';

/**
 * Preferences typed by people — CLI options and CSV columns, kebab-case strings — turned into
 * validated `Preferences`, with each problem reported under the name the person typed.
 */

/** The option / column names, and the preference each one sets. */
export const PREFERENCE_FIELDS = {
  topics: 'topics',
  exclude: 'exclude',
  follow: 'follow',
  'max-papers': 'maxPapers',
  'min-upvotes': 'minUpvotes',
  frequency: 'frequency',
  'weekly-day': 'weeklyDay',
  timezone: 'timezone',
  'send-hour': 'sendHour',
  template: 'template',
  format: 'format',
  abstracts: 'abstracts',
  'quiet-day': 'quietDay',
} as const satisfies Record<string, keyof Preferences>;

export type PreferenceField = keyof typeof PREFERENCE_FIELDS;
const LISTS = new Set<string>(['topics', 'exclude', 'follow']);
const NUMBERS = new Set<string>(['maxPapers', 'minUpvotes', 'weeklyDay', 'sendHour']);

export interface FieldError {
  field: string;
  message: string;
}

/** "multi-agent; reinforcement learning" or "multi-agent, reinforcement learning" → two phrases. */
export function splitList(value: string): string[] {
  return value
    .split(/[;,]/)
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function isPreferenceField(name: string): name is PreferenceField {
  return Object.hasOwn(PREFERENCE_FIELDS, name);
}

/** Fields left out or empty take their defaults. */
export function preferencesFromFields(
  fields: Partial<Record<PreferenceField, string | undefined>>,
): { preferences: Preferences; errors?: undefined } | { preferences?: undefined; errors: FieldError[] } {
  const input: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  const fieldOf = new Map<string, string>();
  for (const [field, key] of Object.entries(PREFERENCE_FIELDS)) {
    fieldOf.set(key, field);
    const raw = fields[field as PreferenceField]?.trim();
    if (raw === undefined || raw === '') continue;
    if (LISTS.has(key)) input[key] = splitList(raw);
    else if (NUMBERS.has(key)) {
      if (/^-?\d+$/.test(raw)) input[key] = Number(raw);
      else errors.push({ field, message: `must be a whole number, got "${raw}"` });
    } else input[key] = raw;
  }
  const parsed = preferencesSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0]);
      errors.push({ field: fieldOf.get(key) ?? key, message: issue.message });
    }
  }
  if (errors.length > 0 || !parsed.success) return { errors };
  return { preferences: parsed.data };
}

const emailSchema = z.email();

/** A plausible address (what zod calls an email), trimmed; undefined when it is not one. */
export function validEmail(value: string | undefined): string | undefined {
  const email = value?.trim() ?? '';
  return emailSchema.safeParse(email).success ? email : undefined;
}
