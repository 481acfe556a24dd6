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

function paperText(paper: PaperView, extras: PaperExtras, n: number): string {
  let text = `${n}. ${getOrCreate(paperLines, paper, () => paperOwnText(paper))}`;
  if (extras.why) text += `\n   Why this paper: ${extras.why}`;
  if (extras.feedbackMore) {
    text += `\n   More like this: ${extras.feedbackMore}\n   Less like this: ${extras.feedbackLess}`;
  }
  return text;
}

export function digestText(view: DigestView): string {
  const parts: string[] = [
    [`${view.brand} · ${view.editionLabel}`, view.dateLabel, view.countLabel].filter(Boolean).join('\n'),
  ];
  if (view.quiet) parts.push(view.quietNote);
  view.papers.forEach((paper, i) => {
    parts.push(paperText(paper, view.extras[i]!, i + 1));
  });
  const footer = ['-- '];
  if (view.viewUrl) footer.push(`View in browser: ${view.viewUrl}`);
  if (view.preferencesUrl) footer.push(`Manage preferences: ${view.preferencesUrl}`);
  if (view.unsubscribeUrl) footer.push(`Unsubscribe: ${view.unsubscribeUrl}`);
  if (view.recipientEmail) {
    footer.push(`Sent to ${view.recipientEmail} because you subscribed to ${view.brand}.`);
  }
  footer.push(`${view.senderName} · ${view.senderAddress}`);
  parts.push(footer.join('\n'));
  return `${parts.join('\n\n')}\n`;
}
