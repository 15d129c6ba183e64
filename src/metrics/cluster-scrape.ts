import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

/** A scrape waits this long for the primary to gather every worker's figures. */
const SCRAPE_TIMEOUT_MS = 8000;

/** A worker's request to the primary for the whole group's figures (src/cluster/cluster-metrics.ts). */
export interface MetricsRequest {
  type: 'keel:metrics-request';
  id: number;
}

export interface MetricsAnswer {
  type: 'keel:metrics-answer';
  id: number;
  text?: string;
  error?: string;
}

export const isMetricsRequest = (message: unknown): message is MetricsRequest =>
  (message as MetricsRequest | null)?.type === 'keel:metrics-request';

const isMetricsAnswer = (message: unknown): message is MetricsAnswer =>
  (message as MetricsAnswer | null)?.type === 'keel:metrics-answer';

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
