'use strict';
/** The report: targets from issues 6 and 12 and the Markdown rendering of bench/results/<report>.json. */

const RATIO_TARGET = 0.6;
const P99_GROWTH_TARGET = 1.5;
const RSS_TARGET_MB = 300;
const RATIO_SCENARIOS = ['list-default', 'list-filtered', 'list-search', 'create'];
// issue 12
const LIST_RATIO_TARGET = 0.7;
const CREATE_RATIO_TARGET = 0.6;
const RSS_TARGET_12_MB = 200;
const PAGE1_P50_MS = { mysql: 50, sqlite: 100 };
const PAGE1_MAX_MS = 300;
const NO_MATCH_TEXT_MS = 1000;
const CURSOR_P50_MS = 50;
const OFFSET_10000_MS = 300;
const GROWTH_TARGET = 3;
const STARVATION_MS = 200;
const TEXT_FILTERS = ['vehicleModel.make', 'vehicleModel.model', 'note'];

/** Page-1 shapes of the matrix (not the offset and cursor pages). */
const pageOne = (m) => m.group !== 'offset' && m.group !== 'cursor';
/** Partial text filters with a value that matches nothing (their own, looser target). */
const noMatchText = (m) => m.group.startsWith('filter-none') && TEXT_FILTERS.some((f) => m.name.startsWith(`${f} `));
const ok = (m) => Object.keys(m.statuses).every((code) => code === '200');

function evaluateMatrix(report) {
  const engine = report.config?.engine ?? 'mysql';
  const targets = [];
  const sizes = report.sizes.filter((s) => s.matrix);
  if (!sizes.length) return targets;
  const largest = sizes[sizes.length - 1];
  const limit = PAGE1_P50_MS[engine];
  const label = `${engine === 'mysql' ? 'MariaDB' : 'SQLite'} at ${largest.size}`;
  const strict = largest.matrix.filter((m) => pageOne(m) && !noMatchText(m));
  const missedP50 = strict.filter((m) => m.p50Ms > limit || !ok(m));
  targets.push({
    target: `${label}: every shape's page 1 p50 <= ${limit} ms (200 OK)`,
    met: missedP50.length === 0,
    detail: missedP50.length
      ? `missed (${missedP50.length}/${strict.length}): ${missedP50.map((m) => `${m.name} ${m.p50Ms} ms ${JSON.stringify(m.statuses)}`).join('; ')}`
      : `all ${strict.length} shapes`,
  });
  if (engine === 'mysql') {
    const missedMax = strict.filter((m) => m.maxMs > PAGE1_MAX_MS);
    targets.push({
      target: `${label}: every shape's page 1 max <= ${PAGE1_MAX_MS} ms`,
      met: missedMax.length === 0,
      detail: missedMax.length ? `missed (${missedMax.length}/${strict.length}): ${missedMax.map((m) => `${m.name} ${m.maxMs} ms`).join('; ')}` : `all ${strict.length} shapes`,
    });
    const text = largest.matrix.filter(noMatchText);
    const slowText = text.filter((m) => m.maxMs > NO_MATCH_TEXT_MS || !ok(m));
    targets.push({
      target: `${label}: partial text filters matching nothing <= ${NO_MATCH_TEXT_MS} ms`,
      met: slowText.length === 0,
      detail: slowText.length
        ? `missed: ${slowText.map((m) => `${m.name} max ${m.maxMs} ms ${JSON.stringify(m.statuses)}`).join('; ')}`
        : `all ${text.length} (max ${Math.max(...text.map((m) => m.maxMs))} ms)`,
    });
    const cursors = largest.matrix.filter((m) => m.group === 'cursor');
    const slowCursor = cursors.filter((m) => m.p50Ms > CURSOR_P50_MS || !ok(m));
    targets.push({
      target: `${label}: cursor pages at any depth p50 <= ${CURSOR_P50_MS} ms`,
      met: cursors.length ? slowCursor.length === 0 : null,
      detail: cursors.length ? cursors.map((m) => `${m.name} ${m.p50Ms} ms`).join('; ') : 'not measured',
    });
    const deep = largest.matrix.filter((m) => m.name === 'page=10000' || m.name === 'partial=true&page=10000');
    targets.push({
      target: `${label}: offset page 10000 <= ${OFFSET_10000_MS} ms (p50)`,
      met: deep.length ? deep.every((m) => m.p50Ms <= OFFSET_10000_MS && ok(m)) : null,
      detail: deep.map((m) => `${m.name} p50 ${m.p50Ms} max ${m.maxMs} ms`).join('; '),
    });
  }
  const small = sizes.find((s) => s.size === 10000);
  const big = sizes.find((s) => s.size === (engine === 'mysql' ? 1000000 : 100000));
  if (small && big && small !== big) {
    const growth = big.matrix
      .map((m) => ({ m, base: small.matrix.find((x) => x.name === m.name) }))
      .filter((x) => x.base && pageOne(x.m) && ok(x.m))
      .map(({ m, base }) => ({ name: m.name, ratio: m.p50Ms / Math.max(base.p50Ms, 1) }));
    const missed = growth.filter((g) => g.ratio > GROWTH_TARGET);
    targets.push({
      target: `growth ${small.size} → ${big.size}: every shape's p50 <= ${GROWTH_TARGET}x`,
      met: missed.length === 0,
      detail: missed.length
        ? `missed (${missed.length}/${growth.length}): ${missed.map((g) => `${g.name} x${g.ratio.toFixed(1)}`).join('; ')}`
        : `all ${growth.length} (max x${Math.max(...growth.map((g) => g.ratio)).toFixed(2)}; p50 floored at 1 ms)`,
    });
  }
  const starved = report.sizes.filter((s) => s.starvation);
  if (starved.length) {
    const s = starved[starved.length - 1];
    targets.push({
      target: `item GET with 20 over-budget requests in flight <= ${STARVATION_MS} ms (p99, at ${s.size})`,
      met: s.starvation.itemRequests > 0 && s.starvation.itemP99Ms <= STARVATION_MS && s.starvation.itemErrors === 0,
      detail: `p50 ${s.starvation.itemP50Ms}, p99 ${s.starvation.itemP99Ms}, max ${s.starvation.itemMaxMs} ms; heavy ${JSON.stringify(s.starvation.heavyStatuses)}`,
    });
  }
  return targets;
}

function evaluateTargets(report) {
  const targets = [];
  const ratios = [];
  for (const s of report.sizes) {
    for (const r of s.scenarios) if (RATIO_SCENARIOS.includes(r.scenario) && r.ratio !== undefined) ratios.push({ size: s.size, scenario: r.scenario, ratio: r.ratio });
  }
  const missed = ratios.filter((r) => r.ratio < RATIO_TARGET);
  targets.push({
    target: `list and create >= ${RATIO_TARGET * 100} % of the baseline's req/s`,
    met: ratios.length > 0 ? missed.length === 0 : null,
    detail: ratios.length
      ? missed.length
        ? `missed: ${missed.map((m) => `${m.scenario}@${m.size} ${m.ratio}`).join(', ')}`
        : `lowest ratio ${Math.min(...ratios.map((r) => r.ratio))}`
      : 'not measured',
  });

  const filtered = (size) => report.sizes.find((s) => s.size === size)?.scenarios.find((r) => r.scenario === 'list-filtered')?.product.p99Ms;
  const small = filtered(10000);
  const large = filtered(1000000);
  targets.push({
    target: `filtered-list p99 at 1M <= ${P99_GROWTH_TARGET} x p99 at 10k`,
    met: small !== undefined && large !== undefined ? large <= P99_GROWTH_TARGET * small : null,
    detail: small !== undefined && large !== undefined ? `${large} ms at 1M vs ${small} ms at 10k (x${(large / small).toFixed(2)})` : 'needs both the 10k and the 1M size',
  });

  const rss = report.sizes.flatMap((s) => s.scenarios.map((r) => r.product.rssMaxMb)).filter((x) => typeof x === 'number');
  targets.push({
    target: `product RSS under load < ${RSS_TARGET_MB} MB`,
    met: rss.length ? Math.max(...rss) < RSS_TARGET_MB : null,
    detail: rss.length ? `max ${Math.max(...rss)} MB` : 'not measured',
  });

  const errors = report.sizes.flatMap((s) =>
    s.scenarios.flatMap((r) => [
      ...(r.product.errors ? [`${r.scenario}@${s.size} product: ${r.product.errors}`] : []),
      ...(r.baseline?.errors ? [`${r.scenario}@${s.size} baseline: ${r.baseline.errors}`] : []),
    ]),
  );
  targets.push({ target: 'no error responses in any scenario', met: errors.length === 0, detail: errors.length ? errors.join(', ') : 'none' });

  // issue 12: the side-by-side ratios must not fall, RSS < 200 MB
  const lists = ratios.filter((r) => r.scenario !== 'create');
  const creates = ratios.filter((r) => r.scenario === 'create');
  if (ratios.length) {
    targets.push({
      target: `issue 12: lists >= ${LIST_RATIO_TARGET}, create >= ${CREATE_RATIO_TARGET} of the baseline`,
      met: lists.every((r) => r.ratio >= LIST_RATIO_TARGET) && creates.every((r) => r.ratio >= CREATE_RATIO_TARGET),
      detail: `lists ${Math.min(...lists.map((r) => r.ratio))}–${Math.max(...lists.map((r) => r.ratio))}, create ${creates.map((r) => r.ratio).join(' / ')}`,
    });
  }
  if (rss.length) targets.push({ target: `issue 12: product RSS < ${RSS_TARGET_12_MB} MB`, met: Math.max(...rss) < RSS_TARGET_12_MB, detail: `max ${Math.max(...rss)} MB` });
  return [...targets, ...evaluateMatrix(report)];
}

const fmt = (n) => (n === undefined || n === null ? '–' : typeof n === 'number' ? String(Math.round(n * 10) / 10) : String(n));
const cpu = (n) => (typeof n === 'number' ? n.toFixed(2) : '–');
const size = (n) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

function renderMarkdown(report) {
  const m = report.machine;
  const c = report.config;
  const lines = [
    `# Benchmark report`,
    '',
    `${report.startedAt} · ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGb} GB · Node ${m.node} · MariaDB ${m.mariadb} ` +
      `(buffer pool ${m.innodbBufferPoolMb} MB, flush_log_at_trx_commit=${m.innodbFlushLogAtTrxCommit}) · ${c.loadTool}, ` +
      `${c.connections} connections, ${c.durationSeconds} s per run after ${c.warmupSeconds} s warm-up, loopback` +
      (c.rounds > 1 ? `; side-by-side scenarios: ${c.rounds} product/baseline rounds, interleaved, medians reported (ratio = median of the rounds' ratios)` : ''),
    '',
    "CPU = the server process's own CPU time (all threads) per answered request, from /proc: unlike req/s, it hardly moves when other work shares the machine.",
    '',
    '| size | scenario | product req/s | p50 ms | p99 ms | CPU ms/req | RSS max MB | errors | baseline req/s | p50 ms | p99 ms | CPU ms/req | RSS max MB | errors | product/baseline |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of report.sizes) {
    for (const r of s.scenarios) {
      const p = r.product;
      const b = r.baseline;
      lines.push(
        `| ${size(s.size)} | ${r.scenario} | ${fmt(p.reqPerSec)} | ${fmt(p.p50Ms)} | ${fmt(p.p99Ms)} | ${cpu(p.cpuMsPerReq)} | ${fmt(p.rssMaxMb)} | ${fmt(p.errors)} | ` +
          `${b ? fmt(b.reqPerSec) : '–'} | ${b ? fmt(b.p50Ms) : '–'} | ${b ? fmt(b.p99Ms) : '–'} | ${b ? cpu(b.cpuMsPerReq) : '–'} | ${b ? fmt(b.rssMaxMb) : '–'} | ${b ? fmt(b.errors) : '–'} | ` +
          `${r.ratio !== undefined ? r.ratio.toFixed(2) : '–'}${r.ratios && r.ratios.length > 1 ? ` (${r.ratios.map((x) => x.toFixed(2)).join(' / ')})` : ''} |`,
      );
    }
  }
  const loads = report.sizes.flatMap((s) => s.scenarios.flatMap((r) => [r.product.loadAvg, r.baseline?.loadAvg])).filter((x) => x !== undefined);
  if (loads.length)
    lines.push(
      '',
      `Load average (1 min) before the runs: ${Math.min(...loads)}–${Math.max(...loads)} on ${m.cpus} CPUs. It includes the bench's own load (the servers, MariaDB and the load tool), so it only flags gross interference; the side-by-side ratio and the CPU per request are the robust figures.`,
    );
  lines.push(...renderMatrix(report));
  lines.push(
    '',
    'Seeding: ' + report.sizes.map((s) => (s.reused ? `${size(s.size)} reused` : `${size(s.size)} in ${s.seedSeconds} s`)).join(', ') + '.',
    '',
    '## Targets',
    '',
    '| target | met | detail |',
    '|---|---|---|',
  );
  for (const t of report.targets ?? []) lines.push(`| ${t.target} | ${t.met === null ? 'n/a' : t.met ? 'yes' : '**no**'} | ${t.detail} |`);
  return `${lines.join('\n')}\n`;
}

/** The scale matrix: one row per shape, p50 / p99 / max (ms) per size, and the p50 growth from the smallest to the largest size. */
function renderMatrix(report) {
  const sizes = report.sizes.filter((s) => s.matrix);
  const lines = [];
  if (sizes.length) {
    const first = sizes[0];
    const last = sizes[sizes.length - 1];
    lines.push(
      '',
      `## Scale matrix (${report.config.engine === 'sqlite' ? 'SQLite' : 'MariaDB'}; one client, warm: 2 untimed + ${report.config.matrixRequests} timed requests per shape; p50 / p99 / max ms)`,
      '',
      `Load average (1 min) when each size's matrix started: ${sizes.map((s) => `${size(s.size)} ${s.matrixLoadAvg}`).join(', ')} on ${report.machine.cpus} CPUs.`,
      '',
      `| shape | ${sizes.map((s) => size(s.size)).join(' | ')} | p50 ${size(last.size)}/${size(first.size)} | status at ${size(last.size)} | total at ${size(last.size)} |`,
      `|---|${sizes.map(() => '---:').join('|')}|---:|---|---:|`,
    );
    for (const m of last.matrix) {
      const cells = sizes.map((s) => {
        const x = s.matrix.find((y) => y.name === m.name);
        return x ? `${fmt(x.p50Ms)} / ${fmt(x.p99Ms)} / ${fmt(x.maxMs)}` : '–';
      });
      const base = first.matrix.find((y) => y.name === m.name);
      const growth = base && first !== last ? `x${(m.p50Ms / Math.max(base.p50Ms, 1)).toFixed(1)}` : '–';
      lines.push(
        `| ${m.name.replace(/\|/g, '\\|')} | ${cells.join(' | ')} | ${growth} | ${Object.entries(m.statuses)
          .map(([c, n]) => `${c}×${n}`)
          .join(' ')} | ${m.total ?? '–'} |`,
      );
    }
  }
  const starved = report.sizes.filter((s) => s.starvation);
  if (starved.length) {
    lines.push(
      '',
      '## Starvation (20 clients keep an expensive shape in flight; one client reads items by id)',
      '',
      '| size | heavy shape | heavy answers | heavy p50 ms | item GETs | item p50 ms | p99 ms | max ms | load avg |',
      '|---:|---|---|---:|---:|---:|---:|---:|---:|',
    );
    for (const s of starved) {
      const x = s.starvation;
      lines.push(
        `| ${size(s.size)} | \`${x.heavyPath}\` | ${Object.entries(x.heavyStatuses)
          .filter(([, n]) => n)
          .map(([c, n]) => `${c}×${n}`)
          .join(' ')} | ${x.heavyP50Ms} | ${x.itemRequests} | ${x.itemP50Ms} | ${x.itemP99Ms} | ${x.itemMaxMs} | ${x.loadAvg} |`,
      );
    }
  }
  return lines;
}

module.exports = { evaluateTargets, renderMarkdown };
