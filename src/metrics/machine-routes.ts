/**
 * Paths polled by machines every few seconds (probes, metrics scrapes): logged at debug unless
 * LOG_PROBES=true, and never traced, so they drown neither the log nor the traces. Matches a route
 * template or a raw URL.
 */
export const MACHINE_ROUTES = /^\/(health\/|metrics(\?|$))/;
