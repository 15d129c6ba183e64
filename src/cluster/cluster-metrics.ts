import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import { type MetricsAnswer, isMetricsRequest } from '../metrics/cluster-scrape.js';

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
