// Issue 10's targets, each next to the figure this run measured: met, or missed by how much.
// Keel's production default is `keel-info` (LOG_LEVEL=info); `keel` (warn) is shown beside it.
import { SETTINGS } from '../settings.mjs';
import { baselineOf, find, peerOf, ratio, times, verdict } from './figures.mjs';

const HIGH = () => Math.max(...SETTINGS.connections);
const LOW = () => Math.min(...SETTINGS.connections);

/** The req/s goals of a row (Keel ÷ baseline, Keel ÷ peer), from the issue. */
export function goalsFor(r) {
  if (r.kind === 'status') return { baseline: 0.8 };
  if (r.kind === 'customer') return { baseline: 0.7, peer: 2 };
  if (r.kind === 'order' && r.connections === Math.min(...SETTINGS.orderConnections))
    return { baseline: 0.5 };
  return {};
}

/** Issue 26's goals (% of keel-info's throughput) by tracing server and route; undefined: reported. */
const TRACING_GOALS = {
  'keel-traced-none': () => 5,
  'keel-traced-10': () => undefined,
  'keel-traced': (kind) => (kind === 'status' ? undefined : 15),
};

/**
 * The median over the pairs of runs of a cost: `cost(traced run, untraced run)`; undefined
 * without a pair.
 */
function pairedMedian(traced, untraced, cost) {
  if (!untraced) return undefined;
  const pairs = Math.min(traced.runs.length, untraced.runs.length);
  const costs = [];
  for (let i = 0; i < pairs; i += 1) costs.push(cost(traced.runs[i], untraced.runs[i]));
  const known = costs.filter((c) => Number.isFinite(c)).sort((a, b) => a - b);
  return known.length ? known[Math.floor((known.length - 1) / 2)] : undefined;
}
/** Throughput lost: 1 − traced ok/s ÷ untraced ok/s. */
const throughputCost = (traced, untraced) => 1 - traced.okRps / untraced.okRps;
/**
 * The same from CPU per answer, 1 − untraced µs ÷ traced µs: what a CPU-bound server loses, and
 * the steadier figure on a shared machine, where the server's share of the cores moves from run
 * to run (bench/README.md).
 */
const cpuCost = (traced, untraced) => 1 - untraced.cpuUsPerRequest / traced.cpuUsPerRequest;
const percent = (cost) => (cost === undefined ? 'n/a' : `${(cost * 100).toFixed(1)} %`);

export function targets(results, servers, stockChecks) {
  const lines = [];
  const add = (server, target, figure, goal, result) =>
    lines.push({ server, target, figure, goal, verdict: result });
  const highRows = [
    ...new Set(results.filter((r) => r.connections >= SETTINGS.repeatFrom).map((r) => r.row)),
  ];
  const invalid = results.filter((r) => highRows.includes(r.row) && !r.valid);
  add(
    'all',
    `0. every row at ${HIGH()} connections held ≥ ${Math.round(SETTINGS.heldShare * 100)} % established`,
    invalid.length
      ? invalid.map((r) => `${r.name} ${r.server} held ${r.held ?? '?'}`).join('; ')
      : `${highRows.length} rows, all valid`,
    'all valid',
    invalid.length ? `missed (${invalid.length} invalid)` : 'met',
  );
  const baseline = servers.find((s) => s.key === 'baseline');
  for (const server of servers.filter(
    (s) => s.key.startsWith('keel') && !s.key.startsWith('keel-traced'),
  )) {
    const key = server.key;
    const of = (row) => find(results, key, row);
    const levels = [...new Set([LOW(), HIGH()])];
    for (const [row, goal] of [
      ...levels.map((c) => [`customer@${c}`, 0.7]),
      ...levels.map((c) => [`status@${c}`, 0.8]),
    ]) {
      const r = of(row);
      if (!r) continue;
      const value = ratio(r, baselineOf(results, r));
      add(key, `1. ${r.name} ÷ baseline`, times(value), `≥ ${goal}×`, verdict(value, goal));
    }
    const customerErrors = results
      .filter((r) => r.server === key && r.kind === 'customer')
      .reduce((n, r) => n + Object.values(r.socketErrors).reduce((a, b) => a + b, 0), 0);
    add(
      key,
      '1. socket errors on the customer rows',
      String(customerErrors),
      '0',
      customerErrors ? 'missed' : 'met',
    );
    const orderLow = of(`order@${Math.min(...SETTINGS.orderConnections)}`);
    const orderHigh = of(`order@${Math.max(...SETTINGS.orderConnections)}`);
    if (orderLow) {
      const value = ratio(orderLow, baselineOf(results, orderLow));
      add(
        key,
        `2. ${orderLow.name} ÷ baseline (201+409)/s`,
        times(value),
        '≥ 0.5×',
        verdict(value, 0.5),
      );
    }
    const check = stockChecks.find((c) => c.server === key);
    if (check)
      add(
        key,
        '2./3. oversell check',
        check.ok ? 'nothing oversold' : 'OVERSOLD',
        'passes',
        check.ok ? 'met' : 'missed',
      );
    if (orderLow && orderHigh && orderHigh !== orderLow) {
      const value = ratio(orderHigh, orderLow);
      add(
        key,
        `3. ${orderHigh.name} ÷ own ${orderLow.name} (201+409)/s`,
        times(value),
        '≥ 0.8×',
        verdict(value, 0.8),
      );
      add(
        key,
        `3. ${orderHigh.name}: shed 503 / p99 of admitted`,
        `${orderHigh.answers['503']} shed (${orderHigh.answers.malformed503} malformed) / ${orderHigh.latencyMs.admittedP99 ?? 'n/a'} ms`,
        'refused early, problem+json',
        orderHigh.answers['503'] > 0 && !orderHigh.answers.malformed503
          ? 'reported'
          : 'no shedding',
      );
      const inKeel = orderHigh.admittedInKeel;
      if (inKeel?.p99Ms != null) {
        add(
          key,
          `3. ${orderHigh.name}: admitted, read to answer inside Keel (its histogram)`,
          `p99 ${inKeel.p99Ms} ms, all ≤ ${inKeel.allWithinS === Infinity ? '> 10' : inKeel.allWithinS} s`,
          'line wait ≤ ADMISSION_MAX_WAIT_MS',
          'reported',
        );
      }
    }
    const rssRows = results.filter((r) => r.server === key && baselineOf(results, r));
    const worst = rssRows
      .map((r) => ({ r, value: r.peakRssMb / baselineOf(results, r).peakRssMb }))
      .sort((a, b) => b.value - a.value)[0];
    if (worst)
      add(
        key,
        `4. peak RSS ÷ baseline's, worst row (${worst.r.name})`,
        times(worst.value),
        '≤ 1.5× on every row',
        verdict(worst.value, 1.5, { atMost: true }),
      );
    if (baseline) {
      const value = server.coldStartMs / baseline.coldStartMs;
      add(
        key,
        `4. cold start ${server.coldStartMs} ms ÷ baseline's ${baseline.coldStartMs} ms`,
        times(value),
        '≤ 2×',
        verdict(value, 2, { atMost: true }),
      );
    }
    const c10k = results.find((r) => r.server === key && r.kind === 'c10k');
    const plain = c10k && of(`customer@${c10k.connections}`);
    if (c10k) {
      const value = ratio(c10k, plain);
      add(
        key,
        `5. ${c10k.name} ÷ without them`,
        times(value),
        '≥ 0.9×',
        plain ? verdict(value, 0.9) : `no customer@${c10k.connections} row`,
      );
      add(
        key,
        '5. idle connections dropped during the run',
        String(c10k.idle.droppedDuringRun),
        '0',
        c10k.idle.droppedDuringRun ? 'missed' : 'met',
      );
      add(
        key,
        '5. RSS per idle connection',
        `${c10k.idle.rssPerConnectionKb} KB`,
        '≤ 10 KB',
        verdict(c10k.idle.rssPerConnectionKb, 10, { atMost: true, unit: ' KB' }),
      );
    }
    for (const row of levels.map((c) => `customer@${c}`)) {
      const r = of(row);
      if (!r) continue;
      const value = ratio(r, peerOf(results, r));
      add(key, `6. ${r.name} ÷ peer`, times(value), '≥ 2×', verdict(value, 2));
    }
  }
  // Issue 26: each tracing server against keel-info, the median of the paired runs' costs (the
  // runs alternate between the servers, so run i of one and run i of the other form a pair).
  for (const r of results.filter((x) => TRACING_GOALS[x.server])) {
    const info = find(results, 'keel-info', r.row);
    const cost = pairedMedian(r, info, throughputCost);
    const goal = TRACING_GOALS[r.server](r.kind);
    add(
      r.server,
      `issue 26. ${r.label.replace(/^keel \(LOG_LEVEL=info, |\)$/g, '')} on ${r.name}: cost against keel-info (${r.runs.length} pairs)`,
      `${percent(cost)} (CPU per answer: ${percent(pairedMedian(r, info, cpuCost))})`,
      goal === undefined ? 'reported' : `≤ ${goal} %`,
      goal === undefined
        ? 'reported'
        : verdict(cost === undefined ? undefined : cost * 100, goal, {
            atMost: true,
            unit: ' %',
            digits: 1,
          }),
    );
  }
  return lines;
}
