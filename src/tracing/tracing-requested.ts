type RawEnvironment = Readonly<Record<string, string | undefined>>;

const listOf = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter((item) => item !== '');

/**
 * Tracing is on only when the standard OTEL_* variables say where spans go: an OTLP endpoint, or an
 * exporter named in OTEL_TRACES_EXPORTER other than `none`. The SDK alone would default to OTLP on
 * localhost:4318, so every start would trace into nowhere (docs/decisions/0090).
 */
export function tracingRequested(env: RawEnvironment): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = listOf(env.OTEL_TRACES_EXPORTER);
  if (exporters.length > 0) return !exporters.includes('none');
  return Boolean(
    env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim(),
  );
}
