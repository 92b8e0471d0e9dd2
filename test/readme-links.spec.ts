import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Documentation links work in a clone of the repository: no link leaves it (issue 14: README linked ../shared/...). */
const root = join(__dirname, '..');
const docs = [
  'README.md',
  'bench/README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('documentation links', () => {
  it.each(docs)('every relative link in %s points at a file of the repository', (doc) => {
    const text = readFileSync(join(root, doc), 'utf8');
    const broken: string[] = [];
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const path = resolve(dirname(join(root, doc)), target.split('#')[0]);
      if (!path.startsWith(`${root}/`) || !existsSync(path)) broken.push(target);
    }
    expect(broken).toEqual([]);
  });
});
