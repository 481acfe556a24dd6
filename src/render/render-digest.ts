import { needsJsonEscape } from '../ascii-json.js';
import { renderDuration, timed } from '../metrics.js';
import type { Paper } from '../papers/paper.js';
import type { Preferences } from '../subscribers/preferences.js';
import { getOrCreate } from './cache.js';
import type { DigestInput, RenderedEmail } from './digest.types.js';
import { digestText, digestTextJson } from './digest-text.js';
import { digestView, type PaperView, paperView } from './digest-view.js';
import { asciiHtml } from './escape.js';
import { type Context, renderInto } from './mini-template.js';
import { digestTemplates } from './template-registry.js';

function engineFor(input: DigestInput) {
  const engine = digestTemplates[input.preferences.template];
  if (!engine) throw new Error(`unknown digest template "${input.preferences.template}"`);
  return engine;
}

/**
 * The reference render: every email compiled from scratch (~12 ms with MJML). The fast path must
 * give the same bytes; keep this one simple. Both write the HTML in ASCII (asciiHtml).
 */
export async function renderDigestNaive(input: DigestInput): Promise<RenderedEmail> {
  const engine = engineFor(input);
  const abstracts = input.preferences.abstracts;
  const view = digestView(
    input,
    input.papers.map((r) => paperView(r.paper, abstracts)),
  );
  const text = digestText(view);
  if (input.preferences.format === 'text') return { subject: view.subject, text };
  return { subject: view.subject, html: asciiHtml(await engine.renderNaive(view)), text };
}

export interface DigestRenderer {
  render(input: DigestInput): Promise<RenderedEmail>;
}

/** Characters of JSON-escaped pieces (keys and values) the fast renderer keeps before starting afresh. */
const JSON_PIECES_CHARS = 8_000_000;

/**
 * The fast path: each template compiled once, each paper's block built once per template and
 * abstracts option, then each email composed from strings. Paper blocks are cached by the `Paper`
 * object, so pass the same objects for every subscriber of an edition (as ranking does) to share
 * the work; a paper object must not be changed once rendered.
 */
export function createDigestRenderer(): DigestRenderer {
  const fast = new Map(Object.entries(digestTemplates).map(([name, engine]) => [name, engine.createFast()]));
  const views = new WeakMap<Paper, Map<Preferences['abstracts'], PaperView>>();

  const viewOf = (paper: Paper, abstracts: Preferences['abstracts']): PaperView => {
    const byOption = getOrCreate(views, paper, () => new Map<Preferences['abstracts'], PaperView>());
    return getOrCreate(byOption, abstracts, () => paperView(paper, abstracts));
  };

  // The template's and the papers' pieces come back email after email (the same strings): each one
  // that needs escaping for JSON (markup with attributes does) is escaped once. A subscriber's own
  // values are escaped for HTML, which leaves them nothing to escape for JSON but a rare backslash.
  // Kept up to a few million characters (an edition's pieces take about one), then begun afresh.
  const jsonPieces = new Map<string, string>();
  let jsonChars = 0;
  const jsonPiece = (piece: string): string => {
    if (!needsJsonEscape(piece)) return piece;
    let json = jsonPieces.get(piece);
    if (json === undefined) {
      if (jsonChars > JSON_PIECES_CHARS) {
        jsonPieces.clear();
        jsonChars = 0;
      }
      json = JSON.stringify(piece).slice(1, -1);
      jsonPieces.set(piece, json);
      jsonChars += piece.length + json.length;
    }
    return json;
  };

  return {
    async render(input) {
      const template = fast.get(input.preferences.template);
      if (!template) throw new Error(`unknown digest template "${input.preferences.template}"`);
      const abstracts = input.preferences.abstracts;
      const view = digestView(
        input,
        input.papers.map((r) => viewOf(r.paper, abstracts)),
      );
      const text = digestText(view);
      const textJson = { of: text, json: `"${digestTextJson(view)}"` };
      if (input.preferences.format === 'text') return { subject: view.subject, text, textJson };
      const parts = await template.parts(view);
      const top = view as unknown as Context;
      const pieces: string[] = [];
      renderInto(pieces, parts.before, [top]);
      for (let i = 0; i < view.papers.length; i++) {
        const paper = view.papers[i]!;
        const extras = view.extras[i]!;
        const block = parts.paper(paper, extras);
        const nodes = Array.isArray(block) ? block : await block;
        renderInto(pieces, nodes, [top, paper as unknown as Context, extras as unknown as Context]);
      }
      renderInto(pieces, parts.after, [top]);
      const html = pieces.join('');
      let json = '"';
      for (const piece of pieces) json += jsonPiece(piece);
      return { subject: view.subject, html, htmlJson: { of: html, json: `${json}"` }, text, textJson };
    },
  };
}

let shared: DigestRenderer | undefined;

/**
 * Compiles every digest template of the process-wide renderer now (MJML takes a few hundred ms of
 * CPU in one piece): a worker calls it before taking jobs, so the first batches do not stall the
 * event loop while another batch's send slot comes due.
 */
export async function warmDigestTemplates(): Promise<void> {
  const paper: Paper = {
    id: '0000.00000',
    title: 'Warm-up',
    abstract: 'Warm-up.',
    authors: ['paperboy'],
    organization: 'paperboy',
    organizationName: null,
    publishedAt: null,
    listedOn: '2000-01-01',
    upvotes: 1,
    comments: 0,
    githubRepo: 'https://example.org/code',
    githubStars: 1,
    projectPage: 'https://example.org/project',
    thumbnail: null,
    aiSummary: null,
    aiKeywords: [],
  };
  const link = 'https://example.org/link';
  shared ??= createDigestRenderer();
  for (const template of Object.keys(digestTemplates) as Preferences['template'][]) {
    for (const quiet of [false, true]) {
      // Not through renderDigest: these are no digests to count in the render metrics.
      await shared.render({
        edition: { date: '2000-01-01', frequency: 'daily' },
        recipient: { email: 'warm-up@example.org' },
        preferences: { template, format: 'html', abstracts: 'short' },
        papers: quiet ? [] : [{ paper, score: 1, why: 'warm-up' }],
        quiet,
        links: { preferences: link, unsubscribe: link, viewInBrowser: link, feedback: () => link },
        sender: { name: 'paperboy', address: 'warm-up' },
        subjectTemplate: '{{topTitle}}',
      });
    }
  }
}

/** Renders one digest through a process-wide fast renderer. */
export function renderDigest(input: DigestInput): Promise<RenderedEmail> {
  shared ??= createDigestRenderer();
  const renderer = shared;
  // metrics (src/metrics.ts)
  return timed(renderDuration, { template: input.preferences.template }, () => renderer.render(input));
}
