import { readFileSync } from 'node:fs';

/** net.core.somaxconn, or undefined where /proc does not say (not Linux). */
export function kernelSomaxconn(path = '/proc/sys/net/core/somaxconn'): number | undefined {
  try {
    const value = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The backlog the kernel really gives a listening socket: it silently caps listen(2)'s argument
 * at somaxconn, so the start-up line says when LISTEN_BACKLOG was cut down.
 */
export function describeListenBacklog(
  requested: number,
  somaxconn: number | undefined = kernelSomaxconn(),
): string {
  if (somaxconn === undefined || somaxconn >= requested) return `listen backlog ${requested}`;
  return `listen backlog ${somaxconn} (LISTEN_BACKLOG ${requested}, capped by net.core.somaxconn)`;
}
