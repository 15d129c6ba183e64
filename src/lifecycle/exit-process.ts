/** What must stop before the process exits: the embedded PostgreSQL, when there is one. */
interface StopsFirst {
  stop(): Promise<unknown>;
}

/**
 * The process's one way out, for the single process (main.ts) and the cluster primary: `stopFirst`
 * (the embedded database) stops first — a failure to stop does not change the code — unless `now`:
 * a second signal exits at once.
 */
export function exitProcess(
  code: number,
  { stopFirst, now = false }: { stopFirst?: StopsFirst; now?: boolean } = {},
): void {
  const exit = (): never => process.exit(code);
  if (now || !stopFirst) exit();
  else
    void stopFirst
      .stop()
      .catch(() => undefined)
      .finally(exit);
}
