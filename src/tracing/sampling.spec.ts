import { parseTraceparent, requestSampled, rootSampled, samplingPolicyFrom } from './sampling.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('parseTraceparent', () => {
  it.each([
    [`00-${TRACE}-${SPAN}-01`, { traceId: TRACE, sampled: true }],
    [`00-${TRACE}-${SPAN}-00`, { traceId: TRACE, sampled: false }],
    [`00-${TRACE.toUpperCase()}-${SPAN}-03`, { traceId: TRACE, sampled: true }],
    [`00-${'0'.repeat(32)}-${SPAN}-01`, undefined],
    [`00-${TRACE}-${'0'.repeat(16)}-01`, undefined],
    [`01-${TRACE}-${SPAN}-01`, undefined],
    ['garbage', undefined],
    [undefined, undefined],
    [[`00-${TRACE}-${SPAN}-01`], undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected);
  });
});

describe('samplingPolicyFrom', () => {
  it.each([
    [{}, { parentBased: true, ratio: 1 }],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, { parentBased: false, ratio: 0 }],
    [{ OTEL_TRACES_SAMPLER: 'always_on' }, { parentBased: false, ratio: 1 }],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, { parentBased: true, ratio: 0 }],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio' }, { parentBased: false, ratio: 1 }],
    [
      { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' },
      { parentBased: true, ratio: 0.25 },
    ],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' },
      { parentBased: false, ratio: 0 },
    ],
  ])('%j → %j', (env, expected) => {
    expect(samplingPolicyFrom(env)).toEqual(expected);
  });
});

describe('requestSampled', () => {
  const sampledParent = { traceId: TRACE, sampled: true };
  const unsampledParent = { traceId: TRACE, sampled: false };

  it("follows a parent's flag under parentbased_*, whatever the root sampler", () => {
    expect(requestSampled({ parentBased: true, ratio: 0 }, sampledParent)).toBe(true);
    expect(requestSampled({ parentBased: true, ratio: 1 }, unsampledParent)).toBe(false);
  });

  it('lets the root sampler decide for a root, and without parentbased_', () => {
    expect(requestSampled({ parentBased: true, ratio: 1 }, undefined)).toBe(true);
    expect(requestSampled({ parentBased: true, ratio: 0 }, undefined)).toBe(false);
    expect(requestSampled({ parentBased: false, ratio: 1 }, unsampledParent)).toBe(true);
    expect(requestSampled({ parentBased: false, ratio: 0 }, sampledParent)).toBe(false);
  });

  it('samples about its ratio of new traces', () => {
    const policy = { parentBased: true, ratio: 0.1 };
    let sampled = 0;
    for (let i = 0; i < 10_000; i += 1) if (requestSampled(policy, undefined)) sampled += 1;
    // The binomial's standard deviation is 30: these bounds are 6.7 of it.
    expect(sampled).toBeGreaterThan(800);
    expect(sampled).toBeLessThan(1200);
  });

  it('decides on a known trace id by its lowest 56 bits, as every service of the trace does', () => {
    const policy = { parentBased: false, ratio: 0.5 };
    expect(rootSampled(policy, `${'f'.repeat(18)}00000000000000`)).toBe(true);
    expect(rootSampled(policy, `${'0'.repeat(18)}ffffffffffffff`)).toBe(false);
    expect(rootSampled(policy, `${'0'.repeat(18)}7fffffffffff00`)).toBe(true);
    expect(rootSampled(policy, `${'0'.repeat(18)}80000000000000`)).toBe(false);
  });
});
