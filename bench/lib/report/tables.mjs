// The printed tables (Markdown, so they paste into bench/README.md as they are).
import { SERVERS } from '../servers.mjs';
import { SETTINGS } from '../settings.mjs';
import { baselineOf, find, peerOf, ratio, ratioCell, times } from './figures.mjs';
import { goalsFor } from './targets.mjs';

export function formatTable(head, rows, textColumns = 2) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const left = (i) => i < textColumns;
  const fmt = (cells) =>
    `| ${cells.map((c, i) => (left(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    fmt(head),
    `|${widths.map((w, i) => (left(i) ? ':' : '-') + '-'.repeat(w) + (left(i) ? '-' : ':')).join('|')}|`,
    ...rows.map(fmt),
  ].join('\n');
}

const okCell = (r) =>
  r.valid ? r.okRps.toFixed(0) : `INVALID (held ${r.held ?? '?'} < ${r.mustHold})`;

/** Every row: answers per second and what stands behind them. */
export function mainTable(results) {
  const head = [
    'row',
    'server',
    'ok/s',
    'runs ok/s',
    'p50 ms',
    'p99 ms',
    'sock err c/r/w/t',
    'non-2xx',
    'established',
    'accept queue max',
    'peak RSS MB',
    'CPU µs/req',
    'vs baseline',
    'vs peer',
  ];
  const rows = results.map((r) => {
    const e = r.socketErrors;
    const goals = goalsFor(r);
    const keel = r.server.startsWith('keel');
    return [
      r.name,
      r.label,
      okCell(r),
      r.runs.length > 1 ? r.runs.map((run) => run.okRps).join('/') : '',
      String(r.latencyMs.p50 ?? 'n/a'),
      String(r.latencyMs.p99 ?? 'n/a'),
      `${e.connect}/${e.read}/${e.write}/${e.timeout}`,
      String(r.non2xx),
      `${r.held ?? '?'}/${r.connections + r.idleConnections}`,
      String(r.established.acceptQueueMax),
      r.peakRssMb.toFixed(1),
      String(r.serverCpuUsPerRequest ?? ''),
      r.server === 'baseline'
        ? ''
        : ratioCell(ratio(r, baselineOf(results, r)), keel ? goals.baseline : undefined),
      keel && r.kind === 'customer' ? ratioCell(ratio(r, peerOf(results, r)), goals.peer) : '',
    ];
  });
  return formatTable(head, rows);
}

/** Keel's own histogram of admitted orders (admitted-latency.mjs): its p99 and the bucket holding all. */
const inKeelCell = ({ p99Ms, allWithinS }) =>
  p99Ms === null ? 'n/a' : `${p99Ms} (${allWithinS === Infinity ? '> 10 s' : `${allWithinS} s`})`;

/** The order rows: answered (201 + 409), shed (503), other errors, and the admitted requests' latency. */
export function orderTable(results) {
  const orders = results.filter((r) => r.kind === 'order');
  if (!orders.length) return '';
  const low = Math.min(...SETTINGS.orderConnections);
  const rows = orders.map((r) => {
    const e = r.socketErrors;
    const own = find(results, r.server, `order@${low}`);
    return [
      r.name,
      r.label,
      okCell(r),
      String(r.answers['201']),
      String(r.answers['409']),
      `${r.answers['503']}${r.answers.malformed503 ? ` (${r.answers.malformed503} malformed)` : ''}`,
      String(r.answers.other + e.connect + e.timeout),
      String(r.latencyMs.admittedP50 ?? 'n/a'),
      String(r.latencyMs.admittedP99 ?? 'n/a'),
      String(r.latencyMs.admittedMax ?? 'n/a'),
      r.admittedInKeel ? inKeelCell(r.admittedInKeel) : '',
      String(r.latencyMs.shedP99 ?? ''),
      r.warmupAnswers ? `${r.warmupAnswers['201']}/${r.warmupAnswers['409']}` : '',
      r.server === 'baseline' ? '' : times(ratio(r, baselineOf(results, r))),
      own && own !== r
        ? ratioCell(ratio(r, own), r.server.startsWith('keel') ? 0.8 : undefined)
        : '',
    ];
  });
  return formatTable(
    [
      'row',
      'server',
      '(201+409)/s',
      '201',
      '409',
      'shed 503',
      'other err',
      'admitted p50 ms',
      'admitted p99 ms',
      'admitted max ms',
      'in Keel p99 ms (all ≤)',
      'shed p99 ms',
      'warm-up 201/409',
      'vs baseline',
      `vs own @${low}`,
    ],
    rows,
  );
}

/** The C10k rows: the read beside idle keep-alive connections, against the same read without them. */
export function c10kTable(results) {
  const rows = results
    .filter((r) => r.kind === 'c10k')
    .map((r) => {
      const plain = find(results, r.server, `customer@${r.connections}`);
      return [
        r.label,
        `${r.idle.answered}/${r.idle.connections}`,
        String(r.idle.establishedBeforeLoad),
        okCell(r),
        plain ? okCell(plain) : 'n/a',
        ratioCell(ratio(r, plain), r.server.startsWith('keel') ? 0.9 : undefined),
        String(r.idle.droppedDuringRun),
        `${r.idle.rssWithoutMb} → ${r.idle.rssWithMb}`,
        r.idle.rssPerConnectionKb.toFixed(2),
      ];
    });
  if (!rows.length) return '';
  return formatTable(
    [
      'server',
      'idle answered',
      'established before load',
      'ok/s with idle',
      'ok/s without',
      'with ÷ without',
      'idle dropped',
      'RSS MB without → with',
      'KB per idle conn',
    ],
    rows,
    1,
  );
}

/**
 * WEB_CONCURRENCY=2 against the same server as one process (issue 25), row by row: answers per
 * second of each, the ratio, and the CPU each used (a second worker only helps with a core to spare).
 */
export function clusterTable(results, servers) {
  const rows = results
    .filter((r) => SERVERS[r.server].comparedWith)
    .map((r) => {
      const single = find(results, SERVERS[r.server].comparedWith, r.row);
      return [
        r.name,
        single ? okCell(single) : 'n/a',
        okCell(r),
        times(ratio(r, single)),
        single ? `${single.serverCpuPercent}` : 'n/a',
        `${r.serverCpuPercent}`,
      ];
    });
  if (!rows.length) return '';
  const label = (key) => servers.find((s) => s.key === key)?.name ?? key;
  const cluster = results.find((r) => SERVERS[r.server].comparedWith).server;
  return formatTable(
    [
      'row',
      `ok/s ${label(SERVERS[cluster].comparedWith)}`,
      `ok/s ${label(cluster)}`,
      'ratio',
      'CPU % one process',
      'CPU % two workers',
    ],
    rows,
    1,
  );
}

/** Start-up: cold start (spawn to the first 200 of /api/v1/status), idle RSS, listen backlog. */
export function serversTable(servers) {
  const baseline = servers.find((s) => s.key === 'baseline');
  return formatTable(
    ['server', 'cold start ms', 'idle RSS MB', 'listen backlog', 'cold start vs baseline'],
    servers.map((s) => [
      s.name,
      s.coldStartMs.toFixed(1),
      s.idleRssMb.toFixed(1),
      String(s.listenBacklog),
      baseline && s !== baseline
        ? `${times(s.coldStartMs / baseline.coldStartMs)}${s.key.startsWith('keel') ? ` (≤2.00 ${s.coldStartMs / baseline.coldStartMs <= 2 ? 'met' : 'missed'})` : ''}`
        : '',
    ]),
    1,
  );
}

export function targetsTable(lines) {
  return formatTable(
    ['server', 'target (issue 10)', 'figure', 'goal', 'verdict'],
    lines.map((l) => [l.server, l.target, l.figure, l.goal, l.verdict]),
    5,
  );
}
