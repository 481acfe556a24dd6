import { arxivUrl, type Paper, paperUrl } from '../papers/paper.js';
import type { Preferences } from '../subscribers/preferences.js';
import type { DigestInput } from './digest.types.js';
import { oneLine, safeUrl } from './escape.js';

/**
 * The digest as plain strings, already cut, counted and link-filtered: both template engines and
 * the plain-text part render this, so they say the same thing. An absent value is '' (falsy for
 * template sections and for JSX conditions alike).
 */
export interface PaperView {
  id: string;
  title: string;
  url: string;
  arxivUrl: string;
  /** "Ana Garcia, Wei Zhang, Mei Chen + 4 more" */
  authors: string;
  organization: string;
  /** "123 upvotes · 4 comments" */
  stats: string;
  /** The AI one-liner, else the abstract (full or short as preferred), else ''. */
  summary: string;
  codeUrl: string;
  /** "Code ★ 1.2k" */
  codeLabel: string;
  /** The repository's stars, short ("1.2k"), or ''. */
  codeStars: string;
  projectUrl: string;
}

/** What differs per subscriber inside a paper's block. */
export interface PaperExtras {
  why: string;
  feedbackMore: string;
  feedbackLess: string;
}

export interface DigestView {
  subject: string;
  preheader: string;
  brand: string;
  editionLabel: string;
  dateLabel: string;
  countLabel: string;
  quiet: boolean;
  quietNote: string;
  papers: PaperView[];
  extras: PaperExtras[];
  preferencesUrl: string;
  unsubscribeUrl: string;
  viewUrl: string;
  recipientEmail: string;
  senderName: string;
  senderAddress: string;
}

export const SHORT_ABSTRACT_CHARS = 300;
const FIRST_AUTHORS = 3;
const SUBJECT_TITLE_CHARS = 90;

/** Cuts at a word boundary at or before `max` characters (code points, so emoji stay whole). */
export function cutAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  const head = chars.slice(0, max).join('');
  const space = head.lastIndexOf(' ');
  return `${(space > max * 0.6 ? head.slice(0, space) : head).replace(/[\s,;:.-]+$/u, '')}…`;
}

export function authorsLine(authors: string[]): string {
  const names = authors.map(oneLine).filter(Boolean);
  const shown = names.slice(0, FIRST_AUTHORS).join(', ');
  return names.length > FIRST_AUTHORS ? `${shown} + ${names.length - FIRST_AUTHORS} more` : shown;
}

/** 12,345: by hand, as Intl number formatting is slow enough to show per subscriber. */
function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function plural(n: number, one: string, many: string): string {
  return `${thousands(n)} ${n === 1 ? one : many}`;
}

function shortCount(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1).replace(/\.0$/, '')}k` : String(n);
}

export function summaryFor(paper: Paper, abstracts: Preferences['abstracts']): string {
  const ai = oneLine(paper.aiSummary ?? '');
  if (ai) return ai;
  if (abstracts === 'none') return '';
  const abstract = oneLine(paper.abstract);
  return abstracts === 'short' ? cutAtWord(abstract, SHORT_ABSTRACT_CHARS) : abstract;
}

/** Depends on the paper and the abstracts option only, so it is built once per edition. */
export function paperView(paper: Paper, abstracts: Preferences['abstracts']): PaperView {
  const codeUrl = safeUrl(paper.githubRepo) ?? '';
  const stars = codeUrl && paper.githubStars ? shortCount(paper.githubStars) : '';
  return {
    id: paper.id,
    title: oneLine(paper.title) || paper.id,
    url: paperUrl(paper),
    arxivUrl: arxivUrl(paper),
    authors: authorsLine(paper.authors),
    organization: oneLine(paper.organization ?? ''),
    stats: `${plural(paper.upvotes, 'upvote', 'upvotes')} · ${plural(paper.comments, 'comment', 'comments')}`,
    summary: summaryFor(paper, abstracts),
    codeUrl,
    codeLabel: stars ? `Code ★ ${stars}` : 'Code',
    codeStars: stars,
    projectUrl: safeUrl(paper.projectPage) ?? '',
  };
}

export function paperExtras(input: DigestInput, paper: Paper, why: string): PaperExtras {
  const feedback = input.links.feedback;
  const more = feedback ? (safeUrl(feedback(paper.id, 'more')) ?? '') : '';
  const less = feedback ? (safeUrl(feedback(paper.id, 'less')) ?? '') : '';
  return {
    why: oneLine(why),
    feedbackMore: more && less ? more : '',
    feedbackLess: more && less ? less : '',
  };
}

const FREQUENCY_LABEL = { daily: 'Daily', weekdays: 'Daily', weekly: 'Weekly' } as const;

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "Thursday, 26 November 2026" or "26 Nov 2026". By hand: Intl formatting costs ~0.1 ms a call. */
export function dateLabel(date: string, style: 'long' | 'short'): string {
  const d = new Date(`${date}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return date;
  const month = MONTHS[d.getUTCMonth()]!;
  const dayMonthYear = `${d.getUTCDate()} ${style === 'long' ? month : month.slice(0, 3)} ${d.getUTCFullYear()}`;
  return style === 'long' ? `${WEEKDAYS[d.getUTCDay()]}, ${dayMonthYear}` : dayMonthYear;
}

/** The subject from the configured template; plain text, never HTML. */
export function subjectLine(input: DigestInput, topTitle = input.papers[0]?.paper.title): string {
  const count = input.papers.length;
  const values: Record<string, string> = {
    date: dateLabel(input.edition.date, 'short'),
    topTitle: topTitle ? cutAtWord(oneLine(topTitle), SUBJECT_TITLE_CHARS) : 'nothing new today',
    count: String(count),
    more: count > 1 ? ` + ${count - 1} more` : '',
  };
  const subject = input.subjectTemplate.replace(
    /\{\{\s*(\w+)\s*\}\}/g,
    (all, name: string) => values[name] ?? all,
  );
  return oneLine(subject);
}

export function preheaderLine(input: DigestInput, topTitle = input.papers[0]?.paper.title): string {
  if (topTitle === undefined)
    return input.edition.frequency === 'weekly' ? 'Nothing new this week' : 'Nothing new today';
  const more = input.papers.length - 1;
  return `${oneLine(topTitle)}${more > 0 ? ` + ${more} more` : ''}`;
}

/** The parts of the view that are the same for every subscriber are cached by the fast path. */
export function digestView(input: DigestInput, papers: PaperView[]): DigestView {
  const weekly = input.edition.frequency === 'weekly';
  const n = input.papers.length;
  return {
    subject: subjectLine(input, papers[0]?.title),
    preheader: preheaderLine(input, papers[0]?.title),
    brand: oneLine(input.sender.name) || 'paperboy',
    editionLabel: `${FREQUENCY_LABEL[input.edition.frequency]} digest`,
    dateLabel: `${weekly ? 'Week of ' : ''}${dateLabel(input.edition.date, 'long')}`,
    countLabel:
      n === 0 ? '' : `${plural(n, 'paper', 'papers')} ${input.recipient ? 'picked for you' : 'of the day'}`,
    quiet: input.quiet === true,
    quietNote: weekly
      ? 'Nothing new matched your topics this week. You will hear from us next week.'
      : 'Nothing new matched your topics today. You will hear from us when something does.',
    papers,
    extras: input.papers.map((r) => paperExtras(input, r.paper, r.why)),
    preferencesUrl: safeUrl(input.links.preferences) ?? '',
    unsubscribeUrl: safeUrl(input.links.unsubscribe) ?? '',
    viewUrl: safeUrl(input.links.viewInBrowser) ?? '',
    recipientEmail: oneLine(input.recipient?.email ?? ''),
    senderName: oneLine(input.sender.name),
    senderAddress: oneLine(input.sender.address),
  };
}
