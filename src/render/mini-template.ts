import { escapeHtml, escapeHtmlAscii, htmlPiece } from './escape.js';

/**
 * A tiny mustache-like template language for the .mjml templates, escaping by default:
 * `{{name}}` inserts escaped text, `{{#name}}…{{/name}}` repeats for each item of an array or
 * shows once when the value is truthy, `{{^name}}…{{/name}}` shows when it is falsy or empty.
 * There is no unescaped form: templates hold all the markup, values are always text, and are
 * written in ASCII (characters beyond it as numeric references, see asciiHtml).
 *
 * Because MJML copies the content of `<mj-text>` and its attribute values through unchanged, a
 * template can be filled before compiling (the naive path) or compiled first and filled after (the
 * fast path) with the same result; `partial` fills what is known now and keeps the rest for later.
 */
export type TemplateNode =
  | string
  | { kind: 'var'; name: string }
  | { kind: 'section'; name: string; inverted: boolean; children: TemplateNode[] };

export type Context = Record<string, unknown>;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly code = 'TEMPLATE_INVALID' as const;
}

const TAG = /\{\{\s*([#^/]?)\s*([A-Za-z][\w.]*)\s*\}\}/g;

export function parseTemplate(source: string, where = 'template'): TemplateNode[] {
  const root: TemplateNode[] = [];
  const stack: { name: string; children: TemplateNode[] }[] = [{ name: '', children: root }];
  let last = 0;
  for (const match of source.matchAll(TAG)) {
    const top = stack[stack.length - 1]!;
    if (match.index > last) top.children.push(source.slice(last, match.index));
    last = match.index + match[0].length;
    const [, sigil, name] = match as unknown as [string, string, string];
    if (sigil === '') top.children.push({ kind: 'var', name });
    else if (sigil === '/') {
      if (top.name !== name) throw new TemplateError(`${where}: {{/${name}}} closes {{#${top.name}}}`);
      stack.pop();
    } else {
      const children: TemplateNode[] = [];
      top.children.push({ kind: 'section', name, inverted: sigil === '^', children });
      stack.push({ name, children });
    }
  }
  if (stack.length > 1)
    throw new TemplateError(`${where}: {{#${stack[stack.length - 1]!.name}}} is never closed`);
  if (last < source.length) root.push(source.slice(last));
  return root;
}

function lookup(stack: Context[], name: string): unknown {
  for (let i = stack.length - 1; i >= 0; i--) {
    const ctx = stack[i]!;
    if (name in ctx) return ctx[name];
  }
  return undefined;
}

function isEmpty(value: unknown): boolean {
  return !value || (Array.isArray(value) && value.length === 0);
}

export function renderNodes(nodes: TemplateNode[], stack: Context[]): string {
  const out: string[] = [];
  renderInto(out, nodes, stack);
  return out.join('');
}

/** renderNodes, leaving the pieces in `out`: the template's text as it is, each value escaped. */
export function renderInto(out: string[], nodes: TemplateNode[], stack: Context[]): void {
  for (const node of nodes) {
    if (typeof node === 'string') out.push(node);
    else if (node.kind === 'var') {
      const value = lookup(stack, node.name);
      if (value !== undefined && value !== null) out.push(escapeHtmlAscii(String(value)));
    } else {
      const value = lookup(stack, node.name);
      if (node.inverted) {
        if (isEmpty(value)) renderInto(out, node.children, stack);
      } else if (Array.isArray(value)) {
        for (const item of value) renderInto(out, node.children, [...stack, item as Context]);
      } else if (!isEmpty(value)) {
        const next = typeof value === 'object' ? [...stack, value as Context] : stack;
        renderInto(out, node.children, next);
      }
    }
  }
}

/**
 * Fills the names `known` holds and keeps every other tag (with its children) for a later
 * `renderNodes`, merging adjacent text. Sections over known names must not be arrays or objects.
 */
export function partial(nodes: TemplateNode[], known: Context): TemplateNode[] {
  const out: TemplateNode[] = [];
  const push = (node: TemplateNode) => {
    const prev = out[out.length - 1];
    if (typeof node === 'string' && typeof prev === 'string') out[out.length - 1] = prev + node;
    else if (node !== '') out.push(node);
  };
  for (const node of nodes) {
    if (typeof node === 'string' || !(node.name in known)) {
      push(node);
      continue;
    }
    const value = known[node.name];
    if (node.kind === 'var') {
      if (value !== undefined && value !== null) push(htmlPiece(escapeHtml(String(value))));
      continue;
    }
    if (typeof value === 'object' && value !== null)
      throw new TemplateError(`partial: {{#${node.name}}} over a list or object cannot be pre-filled`);
    if (node.inverted === isEmpty(value)) for (const child of partial(node.children, known)) push(child);
  }
  return out;
}

/** Writes nodes back as template source (the inverse of parseTemplate). */
export function serialize(nodes: TemplateNode[]): string {
  return nodes
    .map((node) => {
      if (typeof node === 'string') return node;
      if (node.kind === 'var') return `{{${node.name}}}`;
      return `{{${node.inverted ? '^' : '#'}${node.name}}}${serialize(node.children)}{{/${node.name}}}`;
    })
    .join('');
}
