// The order rows' client (bench/load/order-client.mjs, autocannon) as a child process of its own,
// with its own fd limit, like wrk.
import { join } from 'node:path';
import { runLoad } from '../processes.mjs';
import { BENCH, NODE } from '../settings.mjs';
import { AUTHORIZATION } from '../token.mjs';

export async function runOrderLoad({ url, connections, seconds, order, fdLimit }) {
  const env = {
    ...process.env,
    KEEL_BENCH_URL: url,
    KEEL_BENCH_CONNECTIONS: String(connections),
    KEEL_BENCH_SECONDS: String(seconds),
    KEEL_BENCH_AUTHORIZATION: AUTHORIZATION,
    KEEL_BENCH_CUSTOMER: order.customerId,
    KEEL_BENCH_PRODUCTS: order.productIds.join(','),
  };
  const load = await runLoad('order client', NODE, [join(BENCH, 'load/order-client.mjs')], {
    env,
    fdLimit,
    seconds,
    prefix: 'ORDER_JSON',
  });
  const duration = load.durationMs / 1000;
  const count = (status) => load.counts[status] ?? 0;
  const requests = Object.values(load.counts).reduce((a, b) => a + b, 0);
  const answered = count(201) + count(409);
  return {
    tool: 'autocannon',
    requests,
    seconds: duration,
    rps: requests / duration,
    // What the ratios compare on order rows: completed answers, placed (201) or out of stock (409).
    okRps: answered / duration,
    answers: {
      201: count(201),
      409: count(409),
      503: count(503),
      other: requests - answered - count(503),
      malformed503: load.malformed503,
    },
    firstMalformed503: load.firstMalformed,
    latencyMs: {
      p50: load.latencyMs.timed.p50,
      p99: load.latencyMs.timed.p99,
      admittedP50: load.latencyMs.admitted.p50,
      admittedP99: load.latencyMs.admitted.p99,
      admittedMax: load.latencyMs.admitted.max,
      shedP99: load.latencyMs.shed.p99,
    },
    // autocannon counts connection errors and timeouts (a timeout reconnects), not read/write apart.
    socketErrors: {
      connect: load.errors - load.timeouts,
      read: 0,
      write: 0,
      timeout: load.timeouts,
    },
    non2xx: requests - count(201),
    text: '',
  };
}
