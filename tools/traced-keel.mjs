#!/usr/bin/env node
// Starts the built Keel with tracing on at 100 % sampling, exporting OTLP/HTTP (protobuf, as in
// production) to a sink in this process that accepts and discards every export: what tracing costs
// Keel, without a collector's cost. For the bench's tracing row; needs `npm run build` first.
//
//   node tools/traced-keel.mjs            # env as for `npm run start:prod` (DATABASE_URL, PORT, ...)
//
// Signals are passed on to Keel; its exit code is this script's. On exit one JSON line on stderr
// says what the sink received ({"otlpSink":{"exports":N,"bytes":N}}): zero exports means tracing
// did not run, and the row is void.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';

const received = { exports: 0, bytes: 0 };
const sink = createServer((request, response) => {
  request.on('data', (chunk) => (received.bytes += chunk.length));
  request.on('end', () => {
    received.exports += 1;
    // An empty body is a valid, empty ExportTraceServiceResponse.
    response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
await new Promise((listening) => sink.listen(0, '127.0.0.1', listening));

const keel = spawn(process.execPath, ['--import', './dist/tracing/preload.js', 'dist/main.js'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sink.address().port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'always_on',
  },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => keel.kill(signal));
keel.on('exit', (code, signal) => {
  process.stderr.write(`${JSON.stringify({ otlpSink: received })}\n`);
  sink.close();
  process.exit(code ?? (signal ? 1 : 0));
});
