/** What the primary and its workers say to each other over the cluster's IPC channel. */
export const SHUTDOWN = 'keel:shutdown';

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

export const isMetricsAnswer = (message: unknown): message is MetricsAnswer =>
  (message as MetricsAnswer | null)?.type === 'keel:metrics-answer';
