import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { samplingPolicyFrom } from './sampling.js';
import { type StartedTracing, recordTracingStarted } from './tracing-state.js';

/**
 * Registers the ESM loader hook, then starts the SDK, before any module of the app is loaded.
 * `--import @opentelemetry/instrumentation/hook.mjs` alone can silently register nothing
 * (opentelemetry-js#7034): the hook is registered here with `module.register`, asynchronous like
 * every other hook of the process (mixing sync and async hooks fails silently,
 * import-in-the-middle#274). The message channel limits the hook to the modules instrumented
 * (pg, pg-pool) instead of wrapping every module Keel imports.
 */
export async function startTracing(): Promise<void> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, registerOptions);
  const { createTracingSdk } = await import('./tracing-sdk.js');
  const started: StartedTracing = {
    shutdown: () => sdk.shutdown(),
    sampling: samplingPolicyFrom(process.env),
    // Until the app's request pipeline says how to tell (request-tracing.ts).
    insideRequest: () => false,
  };
  const sdk = createTracingSdk(started.sampling, () => started.insideRequest());
  sdk.start();
  await waitForAllMessagesAcknowledged();
  recordTracingStarted(started);
}
