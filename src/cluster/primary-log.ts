/**
 * The primary runs no Nest and no pino: its lines are pino-shaped JSON by hand (level 30 info on
 * stdout, 50 error on stderr), so log pipelines read them with the workers' lines.
 */
export function primaryLog(level: 'info' | 'error', msg: string, extra: object = {}): void {
  const line = JSON.stringify({
    level: level === 'info' ? 30 : 50,
    time: Date.now(),
    pid: process.pid,
    context: 'Cluster',
    ...extra,
    msg,
  });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}
