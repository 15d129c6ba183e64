import {
  ROOT_CONTEXT,
  SamplingDecision,
  TraceFlags,
  trace,
  type SpanContext,
} from '@opentelemetry/api';
import { DECIDED_SAMPLED, KeelSampler } from './keel-sampler.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const parent = (sampled: boolean, isRemote: boolean): SpanContext => ({
  traceId: TRACE,
  spanId: '00f067aa0ba902b7',
  traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
  isRemote,
});
const under = (spanContext: SpanContext) => trace.setSpanContext(ROOT_CONTEXT, spanContext);
const decide = (sampler: KeelSampler, context = ROOT_CONTEXT) =>
  sampler.shouldSample(context, TRACE).decision;
const { RECORD_AND_SAMPLED: SAMPLED, NOT_RECORD } = SamplingDecision;

describe('KeelSampler', () => {
  const never = { parentBased: true, ratio: 0 };
  const always = { parentBased: false, ratio: 1 };

  it('records a server span the request hook decided to record, whatever the policy', () => {
    const sampler = new KeelSampler(never, () => false);
    expect(decide(sampler, ROOT_CONTEXT.setValue(DECIDED_SAMPLED, true))).toBe(SAMPLED);
  });

  it("follows a local parent's decision, so a trace is recorded whole or not at all", () => {
    expect(decide(new KeelSampler(never, () => false), under(parent(true, false)))).toBe(SAMPLED);
    expect(decide(new KeelSampler(always, () => false), under(parent(false, false)))).toBe(
      NOT_RECORD,
    );
  });

  it('decides a root by the policy (a job), but records no root inside an unrecorded request', () => {
    expect(decide(new KeelSampler(always, () => false))).toBe(SAMPLED);
    expect(decide(new KeelSampler(never, () => false))).toBe(NOT_RECORD);
    expect(decide(new KeelSampler(always, () => true))).toBe(NOT_RECORD);
  });

  it('lets a non-parentbased policy decide under a remote parent', () => {
    expect(decide(new KeelSampler(always, () => false), under(parent(false, true)))).toBe(SAMPLED);
    expect(decide(new KeelSampler(never, () => false), under(parent(true, true)))).toBe(SAMPLED);
  });
});
