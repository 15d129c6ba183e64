// One run of a row on one server: warm-up, then the measured load, with the server's CPU and RSS,
// the machine's load, and the connections the kernel counts established to the server's port.
import {
  admittedLatency,
  metricsOnceAdmissionEmpty,
  orderDurationBuckets,
} from './admitted-latency.mjs';
import { establishedTo, listenOverflows, sampleConnections, waitClosed } from './kernel.mjs';
import { openIdleConnections } from './load/idle.mjs';
import { runOrderLoad } from './load/orders.mjs';
import { runWrk } from './load/wrk.mjs';
import { log } from './log.mjs';
import {
  busyPercent,
  cpuSeconds,
  machineCpu,
  megabytes,
  sampleRss,
  settledRssKb,
  waitIdle,
  waitQuietMachine,
} from './proc-stats.mjs';
import { connectionsToHold, ROUTES } from './rows.mjs';
import { heapOf, isKeel } from './servers.mjs';
import { SETTINGS } from './settings.mjs';

function load(server, row, seconds, context) {
  const route = ROUTES[row.route];
  const url = server.url + route.path;
  const common = { url, connections: row.connections, seconds, fdLimit: context.fdLimit };
  if (route.load === 'orders') return runOrderLoad({ ...common, order: context.order[server.key] });
  return runWrk({
    ...common,
    idsFile: route.ids ? context.idsFile : undefined,
    authorize: route.authorize,
    checkAnswers: SETTINGS.smoke,
  });
}

export async function measureRun(server, row, context) {
  const idle = row.idle ? await holdIdleConnections(server, row, context) : undefined;
  try {
    const machineBusyBeforePercent = await waitQuietMachine();
    const stopRss = sampleRss(server.pid);
    const warmup = await load(server, row, SETTINGS.warmupSeconds, context);
    // The warm-up's connections close when it ends: the measured load starts once they are gone.
    await waitClosed(server.port);
    // Orders: the run's share of Keel's own duration histogram, once what the warm-up admitted
    // has answered, and again once what the run admitted has.
    const timedInKeel = ROUTES[row.route].load === 'orders' && isKeel(server.key);
    const bucketsBefore = timedInKeel
      ? await metricsOnceAdmissionEmpty(server).then(orderDurationBuckets)
      : undefined;
    const cpuBefore = cpuSeconds(server.pid);
    const machineBefore = machineCpu();
    const overflowsBefore = listenOverflows();
    const stopConnections = sampleConnections(
      server.port,
      SETTINGS.durationSeconds,
      await establishedTo(server.port),
    );
    const measured = await load(server, row, SETTINGS.durationSeconds, context);
    const established = await stopConnections();
    const overflowsAfter = listenOverflows();
    const cpu = cpuSeconds(server.pid) - cpuBefore;
    const memory = stopRss();
    const heap = await heapOf(server);
    const inKeel = timedInKeel
      ? admittedLatency(
          bucketsBefore,
          await metricsOnceAdmissionEmpty(server).then(orderDurationBuckets),
        )
      : undefined;
    const idleAfter = idle ? await idle.client.report() : undefined;
    return {
      ...measured,
      warmupAnswers: warmup.answers,
      established,
      held: established.held,
      valid: established.held !== undefined && established.held >= connectionsToHold(row),
      listenOverflows: overflowsAfter.overflows - overflowsBefore.overflows,
      listenDrops: overflowsAfter.drops - overflowsBefore.drops,
      peakRssMb: megabytes(memory.peakRssKb),
      lifetimePeakRssMb: megabytes(memory.hwmKb),
      ...(heap ? { heapAfterRunMb: heap } : {}),
      ...(inKeel ? { admittedInKeel: inKeel } : {}),
      serverCpuSeconds: Math.round(cpu * 100) / 100,
      serverCpuPercent: Math.round((cpu / measured.seconds) * 100),
      serverCpuUsPerRequest: measured.requests ? Math.round((cpu * 1e6) / measured.requests) : null,
      machineBusyBeforePercent,
      machineBusyPercent: busyPercent(machineBefore, machineCpu()),
      ...(idle
        ? {
            idle: {
              ...idle.figures,
              droppedDuringRun: idleAfter.dropped,
              stillOpen: idleAfter.answered - idleAfter.dropped,
            },
          }
        : {}),
    };
  } finally {
    await idle?.client.close();
  }
}

/**
 * The C10k row's first step: with the server idle, its RSS; then the idle connections, each
 * answered once; all must be established (counted by the kernel) before the load starts.
 */
async function holdIdleConnections(server, row, context) {
  await waitIdle(server, SETTINGS.smoke ? 10_000 : 60_000);
  const rssBeforeKb = await settledRssKb(server.pid);
  const client = await openIdleConnections({
    port: server.port,
    count: row.idle,
    fdLimit: context.fdLimit,
  });
  await waitIdle(server, SETTINGS.smoke ? 10_000 : 60_000);
  const rssWithIdleKb = await settledRssKb(server.pid);
  const established = await establishedTo(server.port);
  const figures = {
    connections: row.idle,
    answered: client.ready.answered,
    failed: client.ready.failed + client.ready.non200,
    establishedBeforeLoad: established,
    allEstablished: established >= row.idle && client.ready.answered === row.idle,
    rssWithoutMb: megabytes(rssBeforeKb),
    rssWithMb: megabytes(rssWithIdleKb),
    rssPerConnectionKb: Math.round(((rssWithIdleKb - rssBeforeKb) / row.idle) * 100) / 100,
  };
  log(
    `   ${row.idle} idle connections: ${figures.answered} answered, ${established} established; ` +
      `RSS ${figures.rssWithoutMb} → ${figures.rssWithMb} MB (${figures.rssPerConnectionKb} KB each)`,
  );
  return { client, figures };
}
