import { type Preferences, preferencesSchema } from '../subscribers/preferences.js';
import { splitList } from '../subscribers/preferences-input.js';

/**
 * The preferences page's form, as text in and text out: lists are comma-separated, numbers are
 * typed digits. A failed save gives back each field's error and exactly what was typed.
 */

export const FORM_FIELDS = [
  'topics',
  'exclude',
  'follow',
  'minUpvotes',
  'maxPapers',
  'frequency',
  'weeklyDay',
  'sendHour',
  'timezone',
  'template',
  'format',
  'abstracts',
  'quietDay',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type PreferencesFormValues = Record<FormField, string>;
export type PreferencesFormErrors = Partial<Record<FormField, string>>;

const LIST_FIELDS = new Set<FormField>(['topics', 'exclude', 'follow']);
const NUMBER_FIELDS = new Set<FormField>(['minUpvotes', 'maxPapers', 'weeklyDay', 'sendHour']);

export function preferencesToForm(preferences: Preferences): PreferencesFormValues {
  const values = {} as PreferencesFormValues;
  for (const field of FORM_FIELDS) {
    const value = preferences[field];
    values[field] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return values;
}

export function formValuesFrom(body: unknown): PreferencesFormValues {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const values = {} as PreferencesFormValues;
  for (const field of FORM_FIELDS) {
    const raw = source[field];
    values[field] = typeof raw === 'string' ? raw.slice(0, 5000) : '';
  }
  return values;
}

export type ParsedPreferencesForm =
  | { ok: true; preferences: Preferences }
  | { ok: false; errors: PreferencesFormErrors; values: PreferencesFormValues };

export function parsePreferencesForm(values: PreferencesFormValues): ParsedPreferencesForm {
  const candidate: Record<string, unknown> = {};
  const errors: PreferencesFormErrors = {};
  for (const field of FORM_FIELDS) {
    const text = values[field].trim();
    if (LIST_FIELDS.has(field)) candidate[field] = splitList(text);
    else if (NUMBER_FIELDS.has(field)) {
      if (!/^\d{1,9}$/.test(text)) errors[field] = 'must be a whole number';
      else candidate[field] = Number(text);
    } else if (text !== '') candidate[field] = text;
    else errors[field] = 'is required';
  }
  const parsed = preferencesSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as FormField;
      if (errors[field]) continue;
      errors[field] = LIST_FIELDS.has(field) ? listMessage(issue.code, issue.path) : issue.message;
    }
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors, values };
  return { ok: true, preferences: parsed.data };
}

function listMessage(code: string, path: PropertyKey[]): string {
  if (path.length === 1 && code === 'too_big') return 'at most 50 entries';
  if (code === 'too_big') return `entry ${Number(path[1]) + 1} is too long (at most 100 characters)`;
  return 'must be a comma-separated list';
}
