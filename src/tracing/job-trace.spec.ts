import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { currentTraceCarrier, linkJobToEnqueuer } from './job-trace.js';
import { activeTraceId } from './trace-id.js';

describe('job trace context', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = provider.getTracer('test');

  describe('with tracing off (no SDK registered)', () => {
    it('carries no trace context and links nothing', () => {
      expect(currentTraceCarrier()).toBeUndefined();
      expect(activeTraceId()).toBeUndefined();
      expect(linkJobToEnqueuer({ traceparent: `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` })).toBe(
        undefined,
      );
    });
  });

  describe('with tracing on', () => {
    beforeAll(() => {
      context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(() => {
      context.disable();
      propagation.disable();
    });
    /** Enqueues inside a request's span; the job runs later in a span of its own (as pg-boss's). */
    async function enqueueThenProcess(carrierOf: () => Record<string, string> | undefined) {
      exporter.reset();
      const request = tracer.startSpan('request');
      const carrier = context.with(trace.setSpan(context.active(), request), carrierOf);
      request.end();
      const processing = tracer.startSpan('process order_confirm', { root: true });
      const jobTraceId = await context.with(trace.setSpan(context.active(), processing), () =>
        Promise.resolve(linkJobToEnqueuer(carrier)),
      );
      processing.end();
      await provider.forceFlush();
      const job = exporter.getFinishedSpans().find((span) => span.name === 'process order_confirm');
      return { request: request.spanContext(), carrier, job: job!, jobTraceId };
    }

    it("carries the enqueuing span's W3C traceparent", async () => {
      const { request, carrier } = await enqueueThenProcess(currentTraceCarrier);
      expect(carrier).toEqual({ traceparent: `00-${request.traceId}-${request.spanId}-01` });
    });

    it("links the job's span to the enqueuing span and returns the job's own trace id", async () => {
      const { request, job, jobTraceId } = await enqueueThenProcess(currentTraceCarrier);
      expect(job.links.map((link) => link.context)).toEqual([
        expect.objectContaining({ traceId: request.traceId, spanId: request.spanId }),
      ]);
      expect(jobTraceId).toBe(job.spanContext().traceId);
      expect(jobTraceId).not.toBe(request.traceId);
    });

    it('links nothing for a job enqueued outside a trace or carrying a malformed context', async () => {
      for (const carrier of [undefined, { traceparent: 'not-a-traceparent' }]) {
        const { job, jobTraceId } = await enqueueThenProcess(() => carrier);
        expect(job.links).toEqual([]);
        expect(jobTraceId).toBe(job.spanContext().traceId);
      }
    });
  });
});
