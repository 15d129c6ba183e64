// The collector of the bench's traced server: an OTLP/HTTP endpoint in the bench process that
// accepts every export and discards it, so the tracing row measures what tracing costs Keel, not a
// collector. Zero exports after a run means tracing did not run, and the row says so.
import { createServer } from 'node:http';

export async function startOtlpSink() {
  const received = { exports: 0, bytes: 0 };
  const server = createServer((request, response) => {
    request.on('data', (chunk) => (received.bytes += chunk.length));
    request.on('end', () => {
      received.exports += 1;
      // An empty body is a valid, empty ExportTraceServiceResponse.
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
