/**
 * Links between the README and docs/ pages, checked down to the heading: a renamed heading
 * must not leave a `#anchor` pointing nowhere. Whether linked files ship is the package
 * test's job (test/package); this only reads the pages in the repository.
 */

/** A link of a page that points at a heading its target page lacks. */
export interface BrokenAnchor {
  page: string;
  link: string;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped (hyphens and underscores kept), spaces to hyphens. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}_\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The text of a page outside its fenced code blocks, where `#` lines are comments, not headings. */
function prose(markdown: string): string {
  return markdown.replace(/^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?^ {0,3}\1[^\S\n]*$/gm, '');
}

/** Every anchor a page's headings make, with GitHub's `-1`, `-2` suffixes for repeated ones. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const [, heading = ''] of prose(markdown).matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/gm)) {
    const base = headingAnchor(heading);
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** Relative `.md` links (and same-page `#` links) whose anchor the target page does not have; targets that are not among `pages` are skipped. */
export function brokenAnchors(pages: ReadonlyMap<string, string>): BrokenAnchor[] {
  const anchors = new Map([...pages].map(([page, text]) => [page, anchorsOf(text)]));
  const broken: BrokenAnchor[] = [];
  for (const [page, text] of pages) {
    for (const [, link = ''] of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z][a-z+.-]*:/i.test(link)) continue;
      const [path = '', anchor] = link.split('#', 2);
      if (anchor === undefined) continue;
      const target = path === '' ? page : resolvePage(page, path);
      const known = anchors.get(target);
      if (known && !known.has(anchor)) broken.push({ page, link });
    }
  }
  return broken;
}

/** `docs/adapter.md` + `../README.md` → `README.md`; `README.md` + `docs/x.md` → `docs/x.md`. */
function resolvePage(from: string, path: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const part of path.split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.' && part !== '') parts.push(part);
  }
  return parts.join('/');
}
