import { StartupFailure } from '../lifecycle/startup-failure.js';

/** listen(2) errors a user can fix, as one line naming the variable (issue 9, item 20). */
export function describeListenFailure(
  error: unknown,
  host: string,
  port: number,
  variable = 'PORT',
): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new StartupFailure(
      `port ${port} is already in use (${where}): stop what holds it, or choose another ${variable}`,
    );
  }
  if (code === 'EACCES') {
    return new StartupFailure(`not allowed to listen on ${where}: choose a ${variable} above 1023`);
  }
  if (code === 'EADDRNOTAVAIL') {
    return new StartupFailure(`HOST ${host} is not an address of this machine`);
  }
  return error;
}
