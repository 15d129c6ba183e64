import {
  type Context,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  TraceFlags,
  createContextKey,
  isSpanContextValid,
  trace,
} from '@opentelemetry/api';
import { type SamplingPolicy, rootSampled } from './sampling.js';

/** Set by the request hook on the context of a server span it has already decided to record. */
export const DECIDED_SAMPLED = createContextKey('keel.tracing.decided-sampled');

const SAMPLED: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const NOT_RECORDED: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/**
 * The SDK's sampler, on the policy the OTEL_TRACES_SAMPLER variables name (decision 0210).
 * - A request's server span: the request hook (request-tracing.ts) has decided already, before any
 *   OpenTelemetry work, and only a recorded request reaches the SDK.
 * - Spans beneath a span of this process (SQL, pg-boss's sends): their parent's decision, so a
 *   trace is recorded whole or not at all.
 * - Roots that are not requests (a job's `process` span): the policy, as the SDK's would.
 * - A root opened while an unrecorded request is handled (pg-boss's `send` span of an order whose
 *   request was not sampled, which has no active span to be a child of): not recorded, or an
 *   unsampled request would export a trace of its own.
 */
export class KeelSampler implements Sampler {
  constructor(
    private readonly policy: SamplingPolicy,
    private readonly insideUnrecordedRequest: () => boolean,
  ) {}

  shouldSample(context: Context, traceId: string): SamplingResult {
    if (context.getValue(DECIDED_SAMPLED) === true) return SAMPLED;
    const parent = trace.getSpanContext(context);
    if (parent && isSpanContextValid(parent) && (this.policy.parentBased || !parent.isRemote)) {
      // A bit of the flags, not an enum value: compared as a number.
      return (parent.traceFlags & (TraceFlags.SAMPLED as number)) !== 0 ? SAMPLED : NOT_RECORDED;
    }
    if (this.insideUnrecordedRequest()) return NOT_RECORDED;
    return rootSampled(this.policy, traceId) ? SAMPLED : NOT_RECORDED;
  }

  toString(): string {
    const { parentBased, ratio } = this.policy;
    return `KeelSampler{${parentBased ? 'parentbased, ' : ''}ratio=${ratio}}`;
  }
}
