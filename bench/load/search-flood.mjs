// Run by test/search-load.e2e-spec.ts and bench/search-isolation.mjs as a process of its own, so
// the clients that flood the app with searches do not share an event loop with the client whose
// latency is measured.
// Prints "go" when the flood starts, then the number of searches answered 200 within the window.
import { randomBytes } from 'node:crypto';

const base = process.env.FLOOD_BASE;
const clients = Number(process.env.FLOOD_CLIENTS);
const signal = AbortSignal.timeout(Number(process.env.FLOOD_WINDOW_MS));

/** A long name that no product has: without an index every row is read to find none. */
const worstCaseSearch = () =>
  `${base}/api/v1/products?q=${randomBytes(36)
    .toString('base64url')
    .replace(/[^A-Za-z]/g, 'q')}`;

let answered = 0;
process.stdout.write('go\n');
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (!signal.aborted) {
      try {
        const response = await fetch(worstCaseSearch(), { signal });
        await response.arrayBuffer();
        if (response.status === 200 && !signal.aborted) answered++;
      } catch {
        // the window closed under a request in flight
      }
    }
  }),
);
process.stdout.write(`${answered}\n`);
