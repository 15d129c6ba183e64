import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';

/**
 * Keeps the connection of a refused request open but unread for `ms` (its Retry-After) once the
 * 503 is sent: a client that ignores Retry-After and asks again at once waits in the kernel's
 * socket buffer, at no cost to this process, instead of making it spend its time refusing the same
 * connections over and over while admitted requests starve (decision 0100). Nothing is closed or
 * lost: the next request is read when the time is up.
 */
export function holdConnectionAfter(reply: FastifyReply, ms: number): void {
  const socket = reply.raw.socket;
  if (!socket) return;
  // After 'finish' Node resumes the socket itself (to read past the unread body): pause after that.
  reply.raw.once('finish', () => setImmediate(hold, socket, ms));
}

function hold(socket: Socket, ms: number): void {
  if (socket.destroyed) return;
  socket.pause();
  setTimeout(() => socket.resume(), ms).unref();
}
