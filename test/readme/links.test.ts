import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { anchorsOf, brokenAnchors, headingAnchor } from './links.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function documentedPages(): Map<string, string> {
  const docs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
  return new Map(['README.md', ...docs].map((page) => [page, readFileSync(join(root, page), 'utf8')]));
}

describe('the links between the README and docs/', () => {
  it('should point every #anchor at a heading its page has', () => {
    expect(brokenAnchors(documentedPages()).map(({ page, link }) => `${page} → ${link}`)).to.deep.equal([]);
  });

  it("should make GitHub's anchors: punctuation and code marks dropped, spaces to hyphens, repeats numbered", () => {
    expect(headingAnchor("Meta's app callbacks")).to.equal('metas-app-callbacks');
    expect(headingAnchor('Serving it: Express, Restify, Node `http`')).to.equal('serving-it-express-restify-node-http');
    expect(headingAnchor('Errors: `adapter.onTurnError`, never `app.onError`')).to.equal('errors-adapteronturnerror-never-apponerror');
    expect([...anchorsOf('# A\n## Options\n```sh\n# not a heading\n```\n## Options\n')]).to.deep.equal(['a', 'options', 'options-1']);
  });

  it('should report a link to a heading that is gone, and leave external links and unknown pages alone', () => {
    const pages = new Map([
      ['README.md', '## Install\nSee [options](docs/options.md#middleware), [gone](docs/options.md#cache), [here](#install), [there](#nowhere).\n[web](https://example.com/#x) [later](docs/inbox.md#setup)'],
      ['docs/options.md', '# Options\n## Middleware\n[back](../README.md#install) [lost](../README.md#usage)'],
    ]);
    expect(brokenAnchors(pages)).to.deep.equal([
      { page: 'README.md', link: 'docs/options.md#cache' },
      { page: 'README.md', link: '#nowhere' },
      { page: 'docs/options.md', link: '../README.md#usage' },
    ]);
  });
});
