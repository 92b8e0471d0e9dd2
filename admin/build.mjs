// Builds the staff admin (React + @api-platform/admin) into dist/admin, served by the app at /admin.
// esbuild rather than Vite: one native package instead of Vite's bundler, dev server and plugins, and a
// production build of this size in a few seconds (the admin adds to every `npm run build` / `npm start`).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'dist', 'admin');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const started = Date.now();
await build({
  entryPoints: [join(here, 'src', 'main.tsx')],
  bundle: true,
  minify: true,
  splitting: true,
  format: 'esm',
  target: ['es2020'],
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  jsx: 'automatic',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
copyFileSync(join(here, 'index.html'), join(out, 'index.html'));
// Compressed once here, served as they are (express-static-gzip): no compression work per request.
let compressed = 0;
for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !/\.(js|html|css)$/.test(entry.name)) continue;
  const file = join(entry.parentPath, entry.name);
  const raw = readFileSync(file);
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(raw, { level: 9 }));
  compressed += br.length;
}
if (!process.argv.includes('--quiet')) console.log(`admin built into dist/admin in ${Date.now() - started} ms (${Math.round(compressed / 1024)} KiB brotli)`);
