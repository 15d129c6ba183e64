type RawEnvironment = Readonly<Record<string, string | undefined>>;

/** A W3C `traceparent` of version 00: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`. */
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/** What an incoming `traceparent` says, when it is well formed and valid. */
export interface IncomingParent {
  traceId: string;
  sampled: boolean;
}

/** Reads `traceparent` without OpenTelemetry: no context, no objects beyond the result. */
export function parseTraceparent(
  header: string | string[] | undefined,
): IncomingParent | undefined {
  if (typeof header !== 'string') return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match || match[1] === INVALID_TRACE_ID || match[2] === INVALID_SPAN_ID) return undefined;
  return { traceId: match[1], sampled: (parseInt(match[3], 16) & 1) === 1 };
}

/**
 * The sampler `OTEL_TRACES_SAMPLER` / `OTEL_TRACES_SAMPLER_ARG` name, with the specification's
 * defaults (`parentbased_always_on`; ratio 1), as one decision Keel can take before OpenTelemetry
 * is touched (decision 0210).
 */
export interface SamplingPolicy {
  /** `parentbased_*`: a parent's decision is followed, the root sampler decides only for roots. */
  readonly parentBased: boolean;
  /** The root sampler's ratio: 1 for `always_on`, 0 for `always_off`. */
  readonly ratio: number;
}

export function samplingPolicyFrom(env: RawEnvironment): SamplingPolicy {
  const name = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase() || 'parentbased_always_on';
  const parentBased = name.startsWith('parentbased_');
  const root = parentBased ? name.slice('parentbased_'.length) : name;
  if (root === 'always_on') return { parentBased, ratio: 1 };
  if (root === 'always_off') return { parentBased, ratio: 0 };
  const arg = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  const ratio = arg ? Number(arg) : 1;
  // The configuration has validated both (src/config/environment.ts); the SDK, too, falls back to
  // its default rather than refusing to start.
  if (root !== 'traceidratio' || !Number.isFinite(ratio)) return { parentBased: true, ratio: 1 };
  return { parentBased, ratio: Math.min(1, Math.max(0, ratio)) };
}

/**
 * The root sampler's decision. A known trace id decides as the specification's TraceIdRatioBased
 * does, deterministically (its lowest 56 bits against the ratio): every service that sees the trace
 * takes the same decision. A trace that does not exist yet is a coin toss.
 */
export function rootSampled(policy: SamplingPolicy, traceId?: string): boolean {
  if (policy.ratio >= 1) return true;
  if (policy.ratio <= 0) return false;
  if (traceId === undefined) return Math.random() < policy.ratio;
  return parseInt(traceId.slice(18), 16) < policy.ratio * 2 ** 56;
}

/** Whether a request with this `traceparent` (or none) is recorded. */
export function requestSampled(
  policy: SamplingPolicy,
  parent: IncomingParent | undefined,
): boolean {
  if (parent && policy.parentBased) return parent.sampled;
  return rootSampled(policy, parent?.traceId);
}
