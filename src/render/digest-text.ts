import { asciiJsonText } from '../ascii-json.js';
import { getOrCreate } from './cache.js';
import type { DigestView, PaperExtras, PaperView } from './digest-view.js';

/**
 * The plain-text part, written by hand rather than converted from the HTML: numbered papers, each
 * link on its own line so mail clients make it clickable. Its own punctuation stays within Latin-1
 * ("..." rather than an ellipsis, no star sign; the middle dot is Latin-1), so a digest whose
 * papers are Latin-1 is a string V8 keeps at one byte per character, cheaper to build and encode.
 */
// The paper's own lines are the same in every digest it is in: kept per paper view.
const paperLines = new WeakMap<PaperView, string>();
const paperLinesJson = new WeakMap<PaperView, string>();

function paperOwnText(paper: PaperView): string {
  const lines = [paper.title, `   ${paper.url}`];
  lines.push(`   ${[paper.authors, paper.organization].filter(Boolean).join(' · ')}`);
  lines.push(`   ${paper.stats}`);
  if (paper.summary) lines.push('', `   ${paper.summary.replace(/…$/u, '...')}`);
  lines.push('', `   arXiv: ${paper.arxivUrl}`);
  if (paper.codeUrl) {
    lines.push(`   Code${paper.codeStars ? ` (${paper.codeStars} stars)` : ''}: ${paper.codeUrl}`);
  }
  if (paper.projectUrl) lines.push(`   Project page: ${paper.projectUrl}`);
  return lines.join('\n');
}

/** The text, or (esc) its JSON: each piece escaped alike, the papers' own lines by `own`. */
function assemble(
  view: DigestView,
  own: (paper: PaperView) => string,
  esc: (text: string) => string,
): string {
  const parts: string[] = [
    esc([`${view.brand} · ${view.editionLabel}`, view.dateLabel, view.countLabel].filter(Boolean).join('\n')),
  ];
  if (view.quiet) parts.push(esc(view.quietNote));
  view.papers.forEach((paper, i) => {
    parts.push(esc(`${i + 1}. `) + own(paper) + esc(extrasText(view.extras[i]!)));
  });
  const footer = ['-- '];
  if (view.viewUrl) footer.push(`View in browser: ${view.viewUrl}`);
  if (view.preferencesUrl) footer.push(`Manage preferences: ${view.preferencesUrl}`);
  if (view.unsubscribeUrl) footer.push(`Unsubscribe: ${view.unsubscribeUrl}`);
  if (view.recipientEmail) {
    footer.push(`Sent to ${view.recipientEmail} because you subscribed to ${view.brand}.`);
  }
  footer.push(`${view.senderName} · ${view.senderAddress}`);
  parts.push(esc(footer.join('\n')));
  return `${parts.join(esc('\n\n'))}${esc('\n')}`;
}

function extrasText(extras: PaperExtras): string {
  let text = '';
  if (extras.why) text += `\n   Why this paper: ${extras.why}`;
  if (extras.feedbackMore) {
    text += `\n   More like this: ${extras.feedbackMore}\n   Less like this: ${extras.feedbackLess}`;
  }
  return text;
}

const ownText = (paper: PaperView) => getOrCreate(paperLines, paper, () => paperOwnText(paper));
const ownJson = (paper: PaperView) => getOrCreate(paperLinesJson, paper, () => asciiJsonText(ownText(paper)));

export function digestText(view: DigestView): string {
  return assemble(view, ownText, (text) => text);
}

/**
 * digestText as an ASCII JSON string, quotes left out, for the Resend transport: the papers' own
 * lines (most of the text) are escaped once per paper, the subscriber's lines each time.
 */
export function digestTextJson(view: DigestView): string {
  return assemble(view, ownJson, asciiJsonText);
}
