import { z } from 'zod';

/** Template names a subscriber can choose; the registry in src/render knows how to render each. */
export const TEMPLATE_NAMES = ['classic', 'modern'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

const phrase = z.string().trim().min(1).max(100);
const phrases = z.array(phrase).max(50).default([]);

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every preference a subscriber can set. Parsing `{}` gives the defaults, which make a good digest
 * with nothing set: the ten most popular papers of the day, at 07:00 UTC.
 */
export const preferencesSchema = z.object({
  /** Topics and keywords, free phrases ("multi-agent", "reinforcement learning"). */
  topics: phrases,
  /** Papers matching any of these are left out. */
  exclude: phrases,
  /** Authors and organisations whose papers are boosted. */
  follow: phrases,
  /** @defaultValue 0 */
  minUpvotes: z.number().int().min(0).max(100_000).default(0),
  /** Papers per digest. @defaultValue 10 */
  maxPapers: z
    .number()
    .int()
    .min(1, 'must be between 1 and 50')
    .max(50, 'must be between 1 and 50')
    .default(10),
  /** weekdays: a digest for each weekday's list; weekly: on `weeklyDay`, covering seven days. @defaultValue 'daily' */
  frequency: z.enum(['daily', 'weekdays', 'weekly']).default('daily'),
  /** ISO weekday the weekly digest goes out on, 1 = Monday … 7 = Sunday. @defaultValue 1 */
  weeklyDay: z.number().int().min(1).max(7).default(1),
  /** Hour of the day, in `timezone`, the digest goes out. @defaultValue 7 */
  sendHour: z
    .number()
    .int()
    .min(0, 'must be between 0 and 23')
    .max(23, 'must be between 0 and 23')
    .default(7),
  /** IANA time zone. @defaultValue 'UTC' */
  timezone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin').default('UTC'),
  /** @defaultValue 'classic' */
  template: z.enum(TEMPLATE_NAMES).default('classic'),
  /** @defaultValue 'html' */
  format: z.enum(['html', 'text']).default('html'),
  /** How much of each abstract to show when there is no AI one-liner. @defaultValue 'short' */
  abstracts: z.enum(['full', 'short', 'none']).default('short'),
  /** What to do when nothing new matches: skip the day, or send a short note. @defaultValue 'skip' */
  quietDay: z.enum(['skip', 'note']).default('skip'),
});

export type Preferences = z.infer<typeof preferencesSchema>;
export type PreferencesInput = z.input<typeof preferencesSchema>;

export const defaultPreferences: Preferences = preferencesSchema.parse({});

/** Stored preferences are re-validated on read; anything unreadable falls back to its default. */
export function readPreferences(stored: unknown): Preferences {
  const parsed = preferencesSchema.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const repaired: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  for (const issue of parsed.error.issues) delete repaired[String(issue.path[0])];
  return preferencesSchema.parse(repaired);
}
