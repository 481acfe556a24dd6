import { getOrCreate } from './cache.js';
import type { DigestView, PaperExtras, PaperView } from './digest-view.js';
import { type Context, partial, type TemplateNode } from './mini-template.js';
import { type CompiledMjml, compileMjmlTemplate, renderMjmlNaive } from './mjml.engine.js';
import type { DigestEngine, FastDigestTemplate } from './template-registry.js';

/** The context the .mjml template is filled from: the view, each paper with its extras. */
function mjmlContext(view: DigestView): Context {
  return { ...view, papers: view.papers.map((paper, i) => ({ ...paper, ...view.extras[i] })) };
}

/**
 * The fast "classic": the template is compiled once per structure (quiet note or not), each
 * paper's block is pre-filled once with the paper's own values, and only the subscriber's values
 * (why, feedback links, footer links, subject, preheader) are filled per email.
 */
function createFast(name: string): FastDigestTemplate {
  const compiled = new Map<boolean, Promise<CompiledMjml>>();
  const blocks = new WeakMap<PaperView, Map<boolean, TemplateNode[]>>();
  const compile = (quiet: boolean) => {
    let c = compiled.get(quiet);
    if (!c) {
      c = compileMjmlTemplate(name, { quiet });
      compiled.set(quiet, c);
      c.catch(() => compiled.delete(quiet));
    }
    return c;
  };
  return {
    async parts(view: DigestView) {
      const template = await compile(view.quiet);
      const paper = (p: PaperView, _extras: PaperExtras): TemplateNode[] =>
        getOrCreate(
          getOrCreate(blocks, p, () => new Map()),
          view.quiet,
          () => partial(template.paper, p as unknown as Context),
        );
      return { before: template.before, after: template.after, paper };
    },
  };
}

export const mjmlDigestEngine = (name: string): DigestEngine => ({
  renderNaive: (view) => renderMjmlNaive(name, mjmlContext(view)),
  createFast: () => createFast(name),
});
