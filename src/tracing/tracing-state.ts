import type { SamplingPolicy } from './sampling.js';

/** What the preload leaves for the app. */
export interface StartedTracing {
  /** Flushes and stops the SDK it started. */
  shutdown(): Promise<void>;
  /** The sampler the OTEL_TRACES_SAMPLER variables name, for the request hook's decision. */
  readonly sampling: SamplingPolicy;
  /**
   * Tells the SDK's sampler whether the code running is handling a request (one that was not
   * recorded, if it has no active span): set by the app once its request pipeline exists.
   */
  insideRequest: () => boolean;
  /** Set by the request hook when it is installed, for the start-up self-check. */
  requestHookInstalled?: boolean;
}

// On globalThis, not in a module variable: the preload and the app must see the same record even if
// a loader hook gave them different instances of this module.
const STARTED = Symbol.for('keel.tracing.started');
type WithTracing = typeof globalThis & { [STARTED]?: StartedTracing };

export function recordTracingStarted(tracing: StartedTracing): void {
  (globalThis as WithTracing)[STARTED] = tracing;
}

/** The SDK the preload started, or undefined when tracing is off (or the preload was not used). */
export function startedTracing(): StartedTracing | undefined {
  return (globalThis as WithTracing)[STARTED];
}

/**
 * Exports the spans still buffered, then stops the SDK; bounded, so an unreachable collector cannot
 * hold up the exit. main.ts calls it last, once HTTP and job workers have stopped.
 */
export async function stopTracing(timeoutMs: number): Promise<void> {
  const tracing = startedTracing();
  if (!tracing) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    tracing.shutdown().catch(() => undefined),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
}
