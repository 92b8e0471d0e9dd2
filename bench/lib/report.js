'use strict';
/** The report: targets from issue 6 and the Markdown rendering of bench/results/latest.json. */

const RATIO_TARGET = 0.6;
const P99_GROWTH_TARGET = 1.5;
const RSS_TARGET_MB = 300;
const RATIO_SCENARIOS = ['list-default', 'list-filtered', 'list-search', 'create'];

function evaluateTargets(report) {
  const targets = [];
  const ratios = [];
  for (const s of report.sizes) {
    for (const r of s.scenarios) if (RATIO_SCENARIOS.includes(r.scenario) && r.ratio !== undefined) ratios.push({ size: s.size, scenario: r.scenario, ratio: r.ratio });
  }
  const missed = ratios.filter((r) => r.ratio < RATIO_TARGET);
  targets.push({
    target: `list and create >= ${RATIO_TARGET * 100} % of the baseline's req/s`,
    met: ratios.length > 0 && missed.length === 0,
    detail: ratios.length ? (missed.length ? `missed: ${missed.map((m) => `${m.scenario}@${m.size} ${m.ratio}`).join(', ')}` : `lowest ratio ${Math.min(...ratios.map((r) => r.ratio))}`) : 'not measured',
  });

  const filtered = (size) => report.sizes.find((s) => s.size === size)?.scenarios.find((r) => r.scenario === 'list-filtered')?.product.p99Ms;
  const small = filtered(10000);
  const large = filtered(1000000);
  targets.push({
    target: `filtered-list p99 at 1M <= ${P99_GROWTH_TARGET} x p99 at 10k`,
    met: small !== undefined && large !== undefined ? large <= P99_GROWTH_TARGET * small : null,
    detail: small !== undefined && large !== undefined ? `${large} ms at 1M vs ${small} ms at 10k (x${(large / small).toFixed(2)})` : 'needs both the 10k and the 1M size',
  });

  const rss = report.sizes.flatMap((s) => s.scenarios.map((r) => r.product.rssMaxMb));
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
  return targets;
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
    'CPU = the server process\'s own CPU time (all threads) per answered request, from /proc: unlike req/s, it hardly moves when other work shares the machine.',
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
  if (loads.length) lines.push('', `Load average (1 min) before the runs: ${Math.min(...loads)}–${Math.max(...loads)} on ${m.cpus} CPUs. It includes the bench's own load (the servers, MariaDB and the load tool), so it only flags gross interference; the side-by-side ratio and the CPU per request are the robust figures.`);
  lines.push('', 'Seeding: ' + report.sizes.map((s) => `${size(s.size)} in ${s.seedSeconds} s`).join(', ') + '.', '', '## Targets', '', '| target | met | detail |', '|---|---|---|');
  for (const t of report.targets ?? []) lines.push(`| ${t.target} | ${t.met === null ? 'n/a' : t.met ? 'yes' : '**no**'} | ${t.detail} |`);
  return `${lines.join('\n')}\n`;
}

module.exports = { evaluateTargets, renderMarkdown };
