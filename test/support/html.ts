import { DomUtils, parseDocument } from 'htmlparser2';

/** What in an HTML document could run: script elements, on* attributes, non-http(s) links. */
export function dangerousParts(html: string) {
  const doc = parseDocument(html);
  const elements = DomUtils.findAll(() => true, doc.children);
  const scripts = elements.filter((e) => ['script', 'iframe', 'object', 'embed', 'svg'].includes(e.name));
  const handlers = elements.flatMap((e) =>
    Object.keys(e.attribs).filter((a) => a.toLowerCase().startsWith('on')),
  );
  const links = elements.flatMap((e) =>
    ['href', 'src', 'action', 'formaction'].flatMap((a) =>
      e.attribs[a] === undefined ? [] : [e.attribs[a]!],
    ),
  );
  const badLinks = links.filter((l) => !/^https?:\/\//i.test(l.trim()));
  const injected = elements.filter((e) => e.name === 'img' && e.attribs.src === 'x');
  return { scripts: scripts.map((e) => e.name), handlers, badLinks, injected: injected.length };
}

export function hrefs(html: string): string[] {
  const doc = parseDocument(html);
  return DomUtils.findAll((e) => e.name === 'a', doc.children).map((a) => a.attribs.href ?? '');
}

/** The visible text of the document, entities decoded. */
export function textOf(html: string): string {
  const doc = parseDocument(html);
  const body = DomUtils.findOne((e) => e.name === 'body', doc.children) ?? doc;
  return DomUtils.textContent(body);
}
