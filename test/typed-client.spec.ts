import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ENGINE } from './helpers';

/**
 * The README's typed client (openapi-typescript + openapi-fetch) compiles against the committed
 * document: the bodies it shows are accepted by the generated types (issue 14: a field with a
 * schema default was generated as required and rejected the README's minimal trade-in).
 */
const root = join(__dirname, '..');
const dir = join(root, 'node_modules', '.cache', 'typed-client-test');

function readmeClient(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /```ts\n(\/\/ npx openapi-typescript[\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md has no typed-client example (a ```ts block starting with "// npx openapi-typescript")');
  return block[1];
}

function compile(source: string): string[] {
  const file = join(dir, 'client.ts');
  writeFileSync(file, `${source}\nexport {};\n`);
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    types: ['node'],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

// Independent of the database: once per CI run (the SQLite pass).
const run = ENGINE === 'sqlite' ? describe : describe.skip;

beforeAll(() => {
  if (ENGINE !== 'sqlite') return;
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), join(root, 'openapi', 'openapi.json'), '-o', join(dir, 'trade-in-api.d.ts')], { stdio: 'pipe' });
});

run('typed client (openapi-typescript + openapi-fetch)', () => {
  it("compiles the README's client and bodies against the committed document", () => {
    expect(compile(readmeClient())).toEqual([]);
  });

  it('rejects a body the document does not allow (the check can fail)', () => {
    const wrong = readmeClient().replace('customerAskingPrice: 9500', "customerAskingPrice: 'cheap'");
    expect(compile(wrong).join('\n')).toMatch(/customerAskingPrice|not assignable/);
  });
});
