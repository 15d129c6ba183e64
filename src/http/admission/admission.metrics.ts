import type { Registry } from 'prom-client';
import { registerScrapedGauge } from '../../metrics/scraped-gauge.js';
import type { AdmissionQueue } from './admission-queue.js';
import { heldConnections } from './hold-connection.js';

/**
 * Admission control's state, read at scrape time: what runs, what waits in line, and how many
 * refused clients' connections are held unread until their Retry-After (decisions 0100, 0145).
 */
export function registerAdmissionMetrics(registry: Registry, queue: AdmissionQueue): void {
  registerScrapedGauge(
    registry,
    'http_admission_requests_running',
    'API requests admitted and running (at most ADMISSION_CONCURRENCY)',
    () => queue.inFlight,
  );
  registerScrapedGauge(
    registry,
    'http_admission_requests_waiting',
    'API requests waiting in line for admission (at most ADMISSION_MAX_WAIT_MS each)',
    () => queue.waiting,
  );
  registerScrapedGauge(
    registry,
    'http_admission_connections_held',
    'Connections of refused clients held unread until their Retry-After',
    heldConnections,
  );
}
