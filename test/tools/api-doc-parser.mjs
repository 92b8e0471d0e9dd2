// Runs @api-platform/api-doc-parser (an ES module) against a running API and prints what it found
// as JSON: node test/tools/api-doc-parser.mjs <hydra|openapi> <url> <api key>
import { parseHydraDocumentation, parseOpenApi3Documentation } from '@api-platform/api-doc-parser';

const [mode, url, key] = process.argv.slice(2);
const options = { headers: { 'X-API-Key': key } };
const summary = async (api) => ({
  title: api.title,
  resources: await Promise.all(
    api.resources.map(async (r) => ({
      name: r.name,
      url: r.url,
      id: r.id ?? null,
      fields: r.fields.map((f) => ({ name: f.name, type: f.type ?? null, required: f.required, reference: f.reference?.name ?? null, embedded: f.embedded?.name ?? null })),
      readable: r.readableFields.map((f) => f.name),
      writable: r.writableFields.map((f) => f.name),
      operations: r.operations.map((o) => ({ type: o.type, method: o.method })),
      parameters: (mode === 'hydra' ? await r.getParameters() : r.parameters).map((p) => p.variable),
    })),
  ),
});
try {
  const { api } = mode === 'hydra' ? await parseHydraDocumentation(url, options) : await parseOpenApi3Documentation(url, options);
  process.stdout.write(JSON.stringify(await summary(api)));
} catch (e) {
  process.stderr.write(`api-doc-parser failed: ${e?.error?.message ?? e?.message ?? JSON.stringify(e).slice(0, 500)}\n`);
  process.exit(1);
}
