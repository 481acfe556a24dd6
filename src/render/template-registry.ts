import type { TemplateName } from '../subscribers/preferences.js';
import type { DigestView, PaperExtras, PaperView } from './digest-view.js';
import type { TemplateNode } from './mini-template.js';
import { mjmlDigestEngine } from './mjml-digest.engine.js';
import { reactDigestEngine } from './react-digest.engine.js';

/**
 * A digest template compiled for the fast path: the HTML before and after the papers, and each
 * paper's block, as template nodes whose remaining holes are per-subscriber values. Filling them
 * must give exactly the bytes `renderNaive` gives (test/unit/render-fast.test.ts checks it).
 */
export interface FastDigestTemplate {
  parts(view: DigestView): Promise<{
    before: TemplateNode[];
    after: TemplateNode[];
    paper(paper: PaperView, extras: PaperExtras): TemplateNode[] | Promise<TemplateNode[]>;
  }>;
}

export interface DigestEngine {
  /** The reference render: the whole template, every time. */
  renderNaive(view: DigestView): Promise<string>;
  /** A fresh fast template with its own caches. */
  createFast(): FastDigestTemplate;
}

/** Template name → engine. Names are the ones preferences accept (TEMPLATE_NAMES). */
export const digestTemplates: Record<TemplateName, DigestEngine> = {
  classic: mjmlDigestEngine('classic'),
  modern: reactDigestEngine,
};
