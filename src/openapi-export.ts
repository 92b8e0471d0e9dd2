import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app.factory';

/** `npm run openapi`: writes the served OpenAPI document to openapi/openapi.json. */
async function main() {
  const { app, document } = await createApp({ databaseUrl: undefined, sqlitePath: ':memory:', logLevel: 'silent', bootstrap: false });
  const dir = join(__dirname, '..', 'openapi');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
  await app.close();
  console.log(`Wrote ${join(dir, 'openapi.json')} (${Object.keys(document.paths).length} paths).`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
