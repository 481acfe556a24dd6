import { readFileSync } from 'node:fs';
import mjml2html from 'mjml';
import { getOrCreate } from './cache.js';
import { htmlPiece } from './escape.js';
import {
  type Context,
  parseTemplate,
  partial,
  renderNodes,
  serialize,
  type TemplateNode,
} from './mini-template.js';

/** Where the .mjml files live: templates/ at the root of the project. */
const TEMPLATES_DIR = new URL('../../templates/', import.meta.url);

export class MjmlError extends Error {
  override readonly name = 'MjmlError';
  readonly code = 'MJML_INVALID' as const;
}

const sources = new Map<string, TemplateNode[]>();

/** The parsed template; the file is read once per process. */
export function mjmlTemplate(name: string): TemplateNode[] {
  return getOrCreate(sources, name, () =>
    parseTemplate(readFileSync(new URL(`${name}.mjml`, TEMPLATES_DIR), 'utf8'), `templates/${name}.mjml`),
  );
}

/**
 * MJML → HTML, strict. Not minified (MJML 5's CSS minifier breaks on Node 20), but each line's
 * indentation is dropped: a sixth of the bytes of every digest, and nothing a reader sees, since
 * HTML shows any run of whitespace as one space (the templates have no <pre>). Lines stay lines,
 * so the output is still readable when debugging an email.
 */
export async function compileMjml(source: string, where: string): Promise<string> {
  const result = await mjml2html(source, { validationLevel: 'strict', minify: false, keepComments: false });
  if (result.errors.length > 0) {
    const first = result.errors[0]!;
    throw new MjmlError(`${where}: ${first.formattedMessage ?? first.message}`);
  }
  return result.html.replace(INDENTED_LINE_BREAK, '\n');
}

/**
 * A line break with the spaces and tabs around it. Blank lines stay: a section left empty must
 * leave the same bytes whether it was filled before compiling (naive path) or after (fast path).
 */
const INDENTED_LINE_BREAK = /[ \t]*\n[ \t]*/g;

/** The reference path: fill the template, then compile it. ~12 ms per email. */
export async function renderMjmlNaive(name: string, context: Context): Promise<string> {
  return compileMjml(renderNodes(mjmlTemplate(name), [context]), `templates/${name}.mjml`);
}

/**
 * A template compiled once for the fast path: the HTML before the paper list, one paper's block,
 * and the HTML after it, each still holding its {{placeholders}}.
 */
export interface CompiledMjml {
  before: TemplateNode[];
  paper: TemplateNode[];
  after: TemplateNode[];
}

function withPaperCopies(nodes: TemplateNode[], copies: number): TemplateNode[] {
  return nodes.flatMap((node): TemplateNode[] => {
    if (typeof node === 'string' || node.kind === 'var') return [node];
    if (node.name === 'papers' && !node.inverted)
      return Array.from({ length: copies }, () => node.children).flat();
    return [{ ...node, children: withPaperCopies(node.children, copies) }];
  });
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/**
 * Compiles the template with 0, 1 and 2 paper blocks (placeholders unfilled) and reads the paper
 * block off the difference. MJML renders each child of a column on its own, so n blocks compile
 * to the same HTML before, n copies of one block, and the same HTML after; this is checked here,
 * so a template change that breaks it fails loudly instead of rendering wrong.
 */
export async function compileMjmlTemplate(name: string, structure: Context): Promise<CompiledMjml> {
  const where = `templates/${name}.mjml`;
  const nodes = partial(mjmlTemplate(name), structure);
  const [h0, h1, h2] = await Promise.all(
    [0, 1, 2].map(async (n) => htmlPiece(await compileMjml(serialize(withPaperCopies(nodes, n)), where))),
  );
  const blockLength = h1!.length - h0!.length;
  const start = Math.min(commonPrefix(h0!, h1!), h0!.length);
  const before = h1!.slice(0, start);
  const block = h1!.slice(start, start + blockLength);
  const after = h1!.slice(start + blockLength);
  if (before + after !== h0 || before + block + block + after !== h2 || /\{\{[^}]*$/.test(before)) {
    throw new MjmlError(`${where}: the {{#papers}} block does not compile to repeatable HTML`);
  }
  return {
    before: parseTemplate(before, `${where} (compiled)`),
    paper: parseTemplate(block, `${where} (compiled paper block)`),
    after: parseTemplate(after, `${where} (compiled)`),
  };
}
