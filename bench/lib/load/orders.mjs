// The order rows' load: wrk with bench/wrk/order.lua, which counts answers by status and times the
// admitted ones (201 + 409) apart from the shed ones (503).
import { runWrk } from './wrk.mjs';

const ms = (us) => (us === null || us === undefined ? null : Math.round(us / 10) / 100);

export async function runOrderLoad({ url, connections, seconds, order, fdLimit }) {
  const wrk = await runWrk({
    url,
    connections,
    seconds,
    authorize: true,
    fdLimit,
    script: 'order.lua',
    scriptEnv: {
      KEEL_BENCH_CUSTOMER: order.customerId,
      KEEL_BENCH_PRODUCTS: order.productIds.join(','),
    },
  });
  const { admittedUs, shedUs, ...rest } = wrk;
  return {
    ...rest,
    // What the ratios compare on order rows: completed answers, placed (201) or out of stock (409).
    okRps: (wrk.answers['201'] + wrk.answers['409']) / wrk.seconds,
    latencyMs: {
      ...wrk.latencyMs,
      admittedP50: ms(admittedUs.p50),
      admittedP99: ms(admittedUs.p99),
      admittedMax: ms(admittedUs.max),
      shedP99: ms(shedUs.p99),
    },
  };
}
