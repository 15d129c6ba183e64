// latest.json (Prettier-formatted, so `npm run lint` stays clean with results present) and the
// printed report.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { describeStockCheck } from '../checks/orders.mjs';
import { ROOT, SETTINGS } from '../settings.mjs';
import {
  c10kTable,
  clusterTable,
  mainTable,
  orderTable,
  serversTable,
  targetsTable,
} from './tables.mjs';

const PACKAGES = [
  '@nestjs/core',
  '@nestjs/platform-fastify',
  '@nestjs/platform-express',
  'fastify',
  'express',
  '@mikro-orm/core',
  'pg',
  'pino',
];

const versionOf = (name) =>
  JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

async function formatJson(value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(SETTINGS.out)) ?? {};
    return await prettier.format(text, { ...options, parser: 'json' });
  } catch {
    return text;
  }
}

export async function writeReport(report) {
  const { db, servers, ...rest } = report;
  const json = {
    ...rest,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model },
    versions: {
      node: process.version,
      postgres: db.version,
      ...Object.fromEntries(PACKAGES.map((name) => [name, versionOf(name)])),
    },
    settings: { ...SETTINGS, database: db.source, postgresMaxConnections: db.maxConnections },
    servers: servers.map((s) => ({
      key: s.key,
      label: s.name,
      coldStartMs: s.coldStartMs,
      idleRssMb: s.idleRssMb,
      listenBacklog: s.listenBacklog,
    })),
  };
  mkdirSync(join(SETTINGS.out, '..'), { recursive: true });
  writeFileSync(SETTINGS.out, await formatJson(json));
}

export function printReport({
  date,
  wrk,
  kernel,
  db,
  servers,
  results,
  stockChecks,
  targets,
  totalSeconds,
}) {
  const out = (text = '') => process.stdout.write(`${text}\n`);
  const limits = Object.entries(kernel)
    .map(([name, k]) => `${name} ${k.found}${k.raised ? ` (raised to ${k.used} for the run)` : ''}`)
    .join(', ');
  out(
    `\nKeel bench${SETTINGS.smoke ? ' SMOKE (correctness only, figures meaningless)' : ''} — ${date}, Node ${process.version}, ` +
      `PostgreSQL ${db.version} (${db.source}), ${cpus().length} CPUs, ${wrk.split(' ').slice(0, 2).join(' ')} -t${SETTINGS.threads} ` +
      `--timeout ${SETTINGS.wrkTimeout}, ${SETTINGS.warmupSeconds}s warm-up + ${SETTINGS.durationSeconds}s, ` +
      `median of ${SETTINGS.repeat} runs at ≥ ${SETTINGS.repeatFrom} connections; ${limits}\n`,
  );
  out('Servers:\n');
  out(serversTable(servers));
  out('\nRows (ok/s: 2xx answers per second; orders: 201 + 409):\n');
  out(mainTable(results));
  const orders = orderTable(results);
  if (orders) out(`\nOrder rows:\n\n${orders}`);
  const c10k = c10kTable(results);
  if (c10k) out(`\nC10k rows:\n\n${c10k}`);
  const cluster = clusterTable(results, servers);
  if (cluster)
    out(`\nWEB_CONCURRENCY=2 against one process (${cpus().length} CPUs):\n\n${cluster}`);
  if (stockChecks.length) {
    out('\nStock check (each server on its own products):');
    out(stockChecks.map(describeStockCheck).join('\n'));
  }
  if (targets.length) out(`\nTargets (issue 10):\n\n${targetsTable(targets)}`);
  out(`\nResults: ${SETTINGS.out} (total ${totalSeconds} s)`);
}
