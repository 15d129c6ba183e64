import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';

/**
 * The two members of a server-side socket that Node's HTTP server uses for its own read
 * back-pressure (lib/_http_server.js): while `_paused` is set, the server's own attempts to read
 * again — reading past a body nobody read, a 'resume' event — leave the socket paused.
 */
interface HttpServerSocket extends Socket {
  _paused?: boolean;
  parser?: { resume(): void } | null;
}

/** A held connection is read again after its Retry-After plus up to this share of it, at random. */
const JITTER = 0.5;

/** Sockets held now: a refusal read during a hold pauses again, but leaves its release time. */
const held = new WeakSet<Socket>();
/** How many are in `held` (a WeakSet has no size). */
let heldCount = 0;

/** Connections of refused clients now held: each is a client that will ask again. */
export const heldConnections = (): number => heldCount;

/**
 * Keeps the connection of a refused request open but unread for about `ms` (its Retry-After) once
 * the 503 is sent: a client that ignores Retry-After and asks again at once waits in the kernel's
 * socket buffer, at no cost to this process, instead of making it spend its time refusing the same
 * connections over and over while admitted requests starve (decision 0100). Nothing is closed or
 * lost: the next request is read when the time is up, at a random point of the jitter window, so
 * that thousands of connections refused in one burst do not all come back in one.
 *
 * The pause is taken when the response finishes and sets the server's own back-pressure flag
 * (decision 0141). A plain `socket.pause()` one tick later did not hold under overload: the server
 * resumes the socket itself, to read past an unread body and whenever a response it writes
 * drains, so a connection whose next request had been read in the meantime was read again at
 * once. At 10,000 connections the process refused ~11,000 requests a second instead of ~2,000.
 */
export function holdConnectionAfter(reply: FastifyReply, ms: number): void {
  const socket: HttpServerSocket | null = reply.raw.socket;
  if (!socket) return;
  // 'finish' runs after the server's own handler, which has just scheduled reading past the
  // body: with the flag set, that read does not resume the socket.
  reply.raw.once('finish', () => hold(socket, ms * (1 + JITTER * Math.random())));
}

function hold(socket: HttpServerSocket, ms: number): void {
  if (socket.destroyed) return;
  socket._paused = true;
  socket.pause();
  if (held.has(socket)) return;
  held.add(socket);
  heldCount++;
  setTimeout(release, ms, socket).unref();
}

function release(socket: HttpServerSocket): void {
  held.delete(socket);
  heldCount--;
  if (socket.destroyed) return;
  socket._paused = false;
  socket.parser?.resume();
  socket.resume();
}
