import { Gauge, type Registry } from 'prom-client';

/** A gauge whose value is read from `read` each time Prometheus scrapes `registry`. */
export function registerScrapedGauge(
  registry: Registry,
  name: string,
  help: string,
  read: () => number,
): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}
