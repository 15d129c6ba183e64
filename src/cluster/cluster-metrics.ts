import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import {
  type MetricsAnswer,
  type MetricsRequest,
  isMetricsAnswer,
  isMetricsRequest,
} from './cluster-messages.js';

/** A scrape waits this long for the primary to gather every worker's figures. */
const SCRAPE_TIMEOUT_MS = 8000;

/**
 * A scrape lands on whichever worker the primary hands the connection to, and one worker's registry
 * is a fraction of the group's. So a worker asks the primary, which gathers all of them with
 * prom-client's AggregatorRegistry (sums counters and histograms by label set) and adds its own.
 * A single process reads its registry, as before.
 */
export function scrapeMetrics(registry: Registry): Promise<string> {
  return cluster.isWorker ? askPrimary() : registry.metrics();
}

/** In a worker: the registry the primary aggregates (prom-client answers its requests). */
export function shareWithClusterPrimary(registry: Registry): void {
  if (!cluster.isWorker) return;
  AggregatorRegistry.setRegistries([registry]);
  // prom-client installs a worker's answering listener only when one is constructed.
  new AggregatorRegistry();
}

/**
 * Process figures that only mean something per process (event-loop lag, heap, CPU) keep a `worker`
 * label in a cluster, so the aggregation does not add up one worker's lag with another's.
 */
export function perWorkerLabels(): { labels?: { worker: string } } {
  return cluster.worker ? { labels: { worker: String(cluster.worker.id) } } : {};
}

/** In the primary: answers the workers' scrape requests with the whole group's figures. */
export function serveClusterMetrics(primary: Registry): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isMetricsRequest(message)) return;
    const answer = (fields: Partial<MetricsAnswer>): void => {
      if (worker.isConnected())
        worker.send({ type: 'keel:metrics-answer', id: message.id, ...fields });
    };
    Promise.all([aggregator.clusterMetrics(), primary.metrics()]).then(
      ([workers, own]) => answer({ text: `${workers}\n${own}` }),
      (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

let nextRequest = 0;

function askPrimary(): Promise<string> {
  const id = ++nextRequest;
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown): void => {
      if (!isMetricsAnswer(message) || message.id !== id) return;
      finish();
      if (message.text === undefined) reject(new Error(`cluster metrics: ${message.error}`));
      else resolve(message.text);
    };
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`cluster metrics: no answer from the primary in ${SCRAPE_TIMEOUT_MS} ms`));
    }, SCRAPE_TIMEOUT_MS);
    const finish = (): void => {
      clearTimeout(timer);
      process.off('message', onMessage);
    };
    process.on('message', onMessage);
    const request: MetricsRequest = { type: 'keel:metrics-request', id };
    process.send!(request);
  });
}
