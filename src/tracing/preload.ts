/**
 * Keel's tracing entry point, loaded before the app: `node --import ./dist/tracing/preload.js
 * dist/main.js` (what `npm start` and `npm run start:prod` run). Unless the OTEL_* variables ask
 * for tracing, it only reads the environment (and `.env`) and returns.
 */
import { fillFromEnvFile } from '../config/env-file.js';
import { tracingRequested } from './tracing-requested.js';

fillFromEnvFile();
if (tracingRequested(process.env)) {
  try {
    const { startTracing } = await import('./start-tracing.js');
    await startTracing();
  } catch (error) {
    // Keel still serves; its start-up self-check logs that tracing was asked for and is not running.
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `${JSON.stringify({ level: 50, time: Date.now(), context: 'Tracing', msg: `tracing did not start: ${reason}` })}\n`,
    );
  }
}
