import ModernDigest, { ModernPaper } from '../../templates/modern.email.js';
import { getOrCreate } from './cache.js';
import type { DigestView, PaperExtras, PaperView } from './digest-view.js';
import { htmlPiece } from './escape.js';
import type { Context, TemplateNode } from './mini-template.js';
import { partial } from './mini-template.js';
import { renderReact, renderReactFragment } from './react.engine.js';
import type { DigestEngine, FastDigestTemplate } from './template-registry.js';

/**
 * The fast "modern": React renders each shape of the template once with sentinel strings in place
 * of every value (a shape = which values are empty, since the JSX leaves those parts out), and the
 * sentinels become holes filled per email with text escaped exactly as React escapes it.
 */
const OPEN = '\uE000';
const CLOSE = '\uE001';
const SENTINEL = /\uE000(\w+)\uE001/g;

const TOP_FIELDS = [
  'subject',
  'preheader',
  'brand',
  'editionLabel',
  'dateLabel',
  'countLabel',
  'quietNote',
  'preferencesUrl',
  'unsubscribeUrl',
  'viewUrl',
  'recipientEmail',
  'senderName',
  'senderAddress',
] as const;
const PAPER_FIELDS = [
  'id',
  'title',
  'url',
  'arxivUrl',
  'authors',
  'organization',
  'stats',
  'summary',
  'codeUrl',
  'codeLabel',
  'projectUrl',
] as const;
const EXTRA_FIELDS = ['why', 'feedbackMore', 'feedbackLess'] as const;

function holes(html: string): TemplateNode[] {
  const nodes: TemplateNode[] = [];
  let last = 0;
  for (const m of html.matchAll(SENTINEL)) {
    if (m.index > last) nodes.push(html.slice(last, m.index));
    nodes.push({ kind: 'var', name: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < html.length) nodes.push(html.slice(last));
  if (nodes.some((n) => typeof n === 'string' && (n.includes(OPEN) || n.includes(CLOSE)))) {
    throw new Error('modern template: a value was changed by the template (sentinel cut apart)');
  }
  // Checked before: htmlPiece would write a stray sentinel as a character reference.
  return nodes.map((n) => (typeof n === 'string' ? htmlPiece(n) : n));
}

/** Each field: its sentinel when present in `values`, '' when empty there; and the shape key. */
function probe<K extends string>(fields: readonly K[], values: Record<K, string>, prefix = '') {
  const out = {} as Record<K, string>;
  let key = prefix;
  for (const f of fields) {
    out[f] = values[f] ? `${OPEN}${f}${CLOSE}` : '';
    key += values[f] ? '1' : '0';
  }
  return { values: out, key };
}

const FULL_PAPER = Object.fromEntries(PAPER_FIELDS.map((f) => [f, 'x'])) as Record<string, string>;
const FULL_EXTRAS = Object.fromEntries(EXTRA_FIELDS.map((f) => [f, 'x'])) as Record<string, string>;

async function compileShell(view: DigestView) {
  const top = probe(TOP_FIELDS, view);
  const shellView = { ...view, ...top.values };
  if (view.papers.length === 0) {
    const html = await renderReact(<ModernDigest {...shellView} papers={[]} extras={[]} />);
    return { before: holes(html), after: [] as TemplateNode[] };
  }
  const paper = probe(PAPER_FIELDS, FULL_PAPER).values as unknown as PaperView;
  const extras = probe(EXTRA_FIELDS, FULL_EXTRAS).values as unknown as PaperExtras;
  const [html, block] = await Promise.all([
    renderReact(<ModernDigest {...shellView} papers={[paper]} extras={[extras]} />),
    renderReactFragment(<ModernPaper paper={paper} extras={extras} />),
  ]);
  const at = html.indexOf(block);
  if (at < 0 || html.indexOf(block, at + 1) >= 0) {
    throw new Error('modern template: a paper block renders differently inside the digest');
  }
  return { before: holes(html.slice(0, at)), after: holes(html.slice(at + block.length)) };
}

function shellKey(view: DigestView): string {
  return probe(TOP_FIELDS, view, `${view.quiet ? 'q' : '-'}${view.papers.length > 0 ? 'p' : '-'}`).key;
}

function createFast(): FastDigestTemplate {
  const shells = new Map<string, Promise<{ before: TemplateNode[]; after: TemplateNode[] }>>();
  const shapes = new Map<string, Promise<TemplateNode[]>>();
  const blocks = new WeakMap<PaperView, Map<string, TemplateNode[]>>();

  const paperShapes = new WeakMap<PaperView, string>();

  const compileShape = (paper: PaperView, extras: PaperExtras, key: string) =>
    getOrCreate(shapes, key, () =>
      renderReactFragment(
        <ModernPaper
          paper={probe(PAPER_FIELDS, paper).values as unknown as PaperView}
          extras={probe(EXTRA_FIELDS, extras).values as unknown as PaperExtras}
        />,
      ).then(holes),
    );

  /** The paper's block with its own values filled in; holes left for the subscriber's extras. */
  const paperBlock = (paper: PaperView, extras: PaperExtras): TemplateNode[] | Promise<TemplateNode[]> => {
    const paperKey = getOrCreate(paperShapes, paper, () => probe(PAPER_FIELDS, paper).key);
    const extrasKey = `${extras.why ? 1 : 0}${extras.feedbackMore ? 1 : 0}${extras.feedbackLess ? 1 : 0}`;
    const byShape = getOrCreate(blocks, paper, () => new Map<string, TemplateNode[]>());
    const cached = byShape.get(extrasKey);
    if (cached) return cached;
    return compileShape(paper, extras, paperKey + extrasKey).then((nodes) => {
      const filled = partial(nodes, paper as unknown as Context);
      byShape.set(extrasKey, filled);
      return filled;
    });
  };

  return {
    async parts(view) {
      const shell = getOrCreate(shells, shellKey(view), () => compileShell(view));
      const { before, after } = await shell;
      return { before, after, paper: paperBlock };
    },
  };
}

export const reactDigestEngine: DigestEngine = {
  renderNaive: (view) => renderReact(<ModernDigest {...view} />),
  createFast,
};
