import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
  ValidateIf,
} from 'class-validator';
import { IsTrustProxy } from './trust-proxy.js';
import { toBoolean } from '../validation/to-boolean.js';
import { toInteger } from '../validation/to-integer.js';
import { toSeconds } from '../validation/to-seconds.js';

import { WORKER_COUNTS, toWebConcurrency } from './web-concurrency.js';
import { InvalidEnvironment, validateVariables } from './validate-variables.js';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const OTLP_PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
const TRACE_EXPORTERS = ['otlp', 'console', 'zipkin', 'none'] as const;
// What the SDK builds from OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER; it ignores any other name
// with a warning, and Keel exports neither unless one is named (tracing/tracing-sdk.ts).
const METRIC_EXPORTERS = ['otlp', 'prometheus', 'console', 'none'] as const;
const LOG_EXPORTERS = ['otlp', 'console', 'none'] as const;
const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;
const HTTP_URL = /^https?:\/\/\S+$/;

export { InvalidEnvironment } from './validate-variables.js';

const toNumber = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))
    ? Number(value)
    : value;

const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '')
    : value;

/** An `OTEL_*_EXPORTER` variable: optional, a comma-separated list of the names the SDK knows. */
function ExporterList(names: readonly string[]): PropertyDecorator {
  return (target, property) => {
    Transform(toList)(target, property);
    IsOptional()(target, property);
    IsIn(names, {
      each: true,
      message: `${String(property)} must be a comma-separated list of ${names.join(', ')}`,
    })(target, property);
  };
}

/**
 * Used only outside production when JWT_SECRET is unset, so `npm start` works with zero config.
 * Production refuses to start without a real secret.
 */
export const DEVELOPMENT_JWT_SECRET = 'keel-development-only-secret-never-use-in-production';

/** The admin `npm start` creates in development when ADMIN_EMAIL/ADMIN_PASSWORD are unset. */
export const DEVELOPMENT_ADMIN = {
  email: 'admin@keel.dev',
  password: 'keel-admin-password',
} as const;

/** Every variable Keel reads, with its default and rule; `.env.example` documents each one. */
export class Environment {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  @IsString()
  HOST = '0.0.0.0';

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * Connections the kernel completes and queues before Keel accepts them (listen(2)'s backlog).
   * Node's default, 511, leaves a burst of thousands of clients in SYN retries; the kernel caps
   * the value at net.core.somaxconn. At most 65535: older kernels keep it in 16 bits.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(65535)
  LISTEN_BACKLOG = 16_384;

  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.DATABASE_URL !== undefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// URL (required when NODE_ENV=production)',
  })
  DATABASE_URL?: string = undefined;

  /**
   * A direct (pooler-free) connection to the primary, for what cannot pass a pooler in transaction
   * mode: migrations and their advisory lock (src/database/direct-url.ts), the revocation listener's
   * LISTEN. Unset: DATABASE_URL.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_DIRECT_URL must be a postgres:// URL' })
  DATABASE_DIRECT_URL?: string = undefined;

  /**
   * Streaming replicas of the primary, comma-separated: reads that may lag (lists, search, the
   * catalogue) opt in to them, everything else stays on DATABASE_URL (src/database/replicas/,
   * decision 0200). Each gets its own pool of DB_POOL_MAX connections. Unset: no replicas.
   */
  @Transform(toList)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s,]+$/, {
    each: true,
    message: 'DATABASE_READ_URLS must be a comma-separated list of postgres:// URLs',
  })
  DATABASE_READ_URLS?: string[] = undefined;

  /**
   * Bounded staleness: a replica whose replay lags the primary by more than this, or that does
   * not answer, serves no reads until it has caught up (src/database/replicas/replica-monitor.ts).
   */
  @Transform(toInteger)
  @IsInt({ message: 'REPLICA_MAX_LAG_MS must be a whole number of milliseconds (100 to 600000)' })
  @Min(100, {
    message: 'REPLICA_MAX_LAG_MS must be a whole number of milliseconds (100 to 600000)',
  })
  @Max(600_000, {
    message: 'REPLICA_MAX_LAG_MS must be a whole number of milliseconds (100 to 600000)',
  })
  REPLICA_MAX_LAG_MS = 1000;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  DB_POOL_MAX = 20;

  /**
   * Requests to the database-backed routes that run at once; the rest wait in line (admission
   * control, docs/decisions/0100-admission-control.md). Unset: DB_POOL_MAX.
   */
  @Transform(toInteger)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  ADMISSION_CONCURRENCY?: number = undefined;

  /**
   * Longest a request waits in that line. One that could not start in time is refused at once with
   * 503 + Retry-After; one still waiting this long is refused then.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(60_000)
  ADMISSION_MAX_WAIT_MS = 3000;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(toBoolean({ digits: true }))
  @IsBoolean()
  PRETTY_JSON = false;

  @Transform(toInteger)
  @IsInt()
  @Min(1024)
  BODY_LIMIT = 1_048_576;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  LOAD_HIGH_EVENT_LOOP_DELAY_MS = 200;

  /** Production's default; unset outside production it is 0 (validateEnvironment). */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  SHUTDOWN_DRAIN_DELAY_MS = 5000;

  // Ignored when OIDC_ISSUER hands identity to the team's provider (decision 0165).
  @ValidateIf(
    (env: Environment) =>
      env.OIDC_ISSUER === undefined &&
      (env.NODE_ENV === 'production' || env.JWT_SECRET !== undefined),
  )
  @MinLength(32, {
    message: 'JWT_SECRET must be at least 32 characters long (required when NODE_ENV=production)',
  })
  JWT_SECRET?: string = undefined;

  @Transform(toSeconds)
  @IsInt({ message: 'JWT_EXPIRES_IN must be seconds, or a number followed by s, m, h or d' })
  @Min(1)
  @Max(31 * 86_400)
  // Short since sessions can be refreshed (issue 22): it bounds how long a token outlives a
  // revocation notice that every instance missed (docs/decisions/0160-sessions-and-refresh-tokens.md).
  JWT_EXPIRES_IN = 600;

  @ValidateIf(
    (env: Environment) =>
      env.OIDC_ISSUER === undefined &&
      (env.ADMIN_EMAIL !== undefined || env.ADMIN_PASSWORD !== undefined),
  )
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an email address (set with ADMIN_PASSWORD)' })
  ADMIN_EMAIL?: string = undefined;

  @ValidateIf(
    (env: Environment) =>
      env.OIDC_ISSUER === undefined &&
      (env.ADMIN_EMAIL !== undefined || env.ADMIN_PASSWORD !== undefined),
  )
  @MinLength(12, {
    message: 'ADMIN_PASSWORD must be at least 12 characters (set with ADMIN_EMAIL)',
  })
  ADMIN_PASSWORD?: string = undefined;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  SHUTDOWN_TIMEOUT_MS = 20_000;

  @Transform(toBoolean({ digits: true }))
  @IsBoolean()
  LOG_PROBES = false;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  AUTH_RATE_LIMIT_PER_MINUTE = 5;

  @Transform(toInteger)
  @IsInt()
  @Min(0)
  RATE_LIMIT_PER_MINUTE = 0;

  /**
   * Which proxies' X-Forwarded-For Keel believes, for the client address that rate limits and the
   * access log use (src/config/trust-proxy.ts). Unset: none, the peer's address is the client's.
   */
  @ValidateIf((env: Environment) => env.TRUST_PROXY !== undefined)
  @IsString()
  @Validate(IsTrustProxy)
  TRUST_PROXY?: string = undefined;

  @Transform(toList)
  @Matches(/^https?:\/\/[^/\s,]+$/, {
    each: true,
    message: 'CORS_ORIGINS must be a comma-separated list of origins like https://app.example.com',
  })
  CORS_ORIGINS: string[] = [];
  /** Whether this instance runs job workers; with false it only enqueues (an API-only instance). */
  @Transform(toBoolean({ digits: true }))
  @IsBoolean()
  JOB_WORKERS = true;

  /**
   * Longest a request body may take to arrive after its headers; a later one is answered 408
   * (http/body-deadline.hook.ts, decision 0148). Tomcat's default bound is 20 s.
   */
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  REQUEST_BODY_TIMEOUT_MS = 20_000;

  // Tracing: the standard OpenTelemetry variables that Keel checks at start. The SDK reads them, and
  // any other OTEL_* variable, itself; tracing is off unless they name an exporter or an endpoint.

  @Transform(toBoolean({ digits: true }))
  @IsOptional()
  @IsBoolean()
  OTEL_SDK_DISABLED?: boolean = undefined;

  @IsOptional()
  @IsString()
  OTEL_SERVICE_NAME?: string = undefined;

  @IsOptional()
  @Matches(HTTP_URL, { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string = undefined;

  @IsOptional()
  @Matches(HTTP_URL, {
    message: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT must be an http:// or https:// URL',
  })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string = undefined;

  @IsOptional()
  @IsIn(OTLP_PROTOCOLS)
  OTEL_EXPORTER_OTLP_PROTOCOL?: (typeof OTLP_PROTOCOLS)[number] = undefined;

  @IsOptional()
  @IsIn(OTLP_PROTOCOLS)
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL?: (typeof OTLP_PROTOCOLS)[number] = undefined;

  @ExporterList(TRACE_EXPORTERS)
  OTEL_TRACES_EXPORTER?: string[] = undefined;

  @ExporterList(METRIC_EXPORTERS)
  OTEL_METRICS_EXPORTER?: string[] = undefined;

  @ExporterList(LOG_EXPORTERS)
  OTEL_LOGS_EXPORTER?: string[] = undefined;

  @IsOptional()
  @IsIn(TRACE_SAMPLERS)
  OTEL_TRACES_SAMPLER?: (typeof TRACE_SAMPLERS)[number] = undefined;

  @Transform(toNumber)
  @IsOptional()
  @IsNumber({}, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1' })
  @Min(0, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1' })
  @Max(1, { message: 'OTEL_TRACES_SAMPLER_ARG must be a number between 0 and 1' })
  OTEL_TRACES_SAMPLER_ARG?: number = undefined;

  /**
   * How long pg-boss keeps a finished job (completed, failed, dead-lettered) before its maintenance
   * deletes it: seconds, or a number followed by s, m, h or d (docs/decisions/0152-retention.md).
   */
  @Transform(toSeconds)
  @IsInt({ message: 'JOB_RETENTION must be seconds, or a number followed by s, m, h or d' })
  @Min(60)
  @Max(365 * 86_400)
  JOB_RETENTION = 86_400;

  /**
   * Longest any one SQL statement of the app may run, in ms; PostgreSQL cancels it then and the
   * request answers 503 + Retry-After (src/database/statement-timeout.ts, decision 0151).
   */
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  DB_STATEMENT_TIMEOUT_MS = 5000;

  /**
   * Where /metrics and the probes are served instead of PORT, as Spring Boot's
   * management.server.port (src/http/management-port.ts). Unset: on PORT with the API.
   */
  @Transform(toInteger)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  MANAGEMENT_PORT?: number = undefined;

  /** Leeway for `exp` and `nbf` between the token issuer's clock and ours, in both identity modes. */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(300)
  TOKEN_CLOCK_SKEW_SECONDS = 10;

  // Identity from the team's OpenID provider (src/auth/oidc, decision 0165): OIDC_ISSUER turns it
  // on, and then Keel's own register/login and JWT_SECRET, ADMIN_EMAIL, ADMIN_PASSWORD are unused.

  @IsOptional()
  @Matches(HTTP_URL, {
    message: 'OIDC_ISSUER must be the provider’s issuer URL (http:// or https://)',
  })
  OIDC_ISSUER?: string = undefined;

  @ValidateIf((env: Environment) => env.OIDC_ISSUER !== undefined)
  @Matches(/^\S+$/, {
    message:
      'OIDC_AUDIENCE is required with OIDC_ISSUER: the audience Keel’s tokens are issued for',
  })
  OIDC_AUDIENCE?: string = undefined;

  @IsOptional()
  @Matches(HTTP_URL, { message: 'OIDC_JWKS_URI must be an http:// or https:// URL' })
  OIDC_JWKS_URI?: string = undefined;

  @Matches(/^[^.\s]+(\.[^.\s]+)*$/, {
    message: 'OIDC_ROLES_CLAIM must be a claim name or a dotted path such as realm_access.roles',
  })
  OIDC_ROLES_CLAIM = 'roles';

  @IsOptional()
  @Matches(/^\s*[^=,\s]+\s*=\s*(admin|customer)\s*(,\s*[^=,\s]+\s*=\s*(admin|customer)\s*)*$/, {
    message:
      'OIDC_ROLE_MAP must be provider-role=keel-role pairs, e.g. keel-admins=admin,staff=customer',
  })
  OIDC_ROLE_MAP?: string = undefined;

  /** After a key-set fetch, a token with an unknown `kid` waits this long before the next one. */
  @Transform(toInteger)
  @IsInt({ message: 'OIDC_JWKS_COOLDOWN_MS must be a whole number of milliseconds' })
  @Min(0)
  OIDC_JWKS_COOLDOWN_MS = 30_000;

  /** The provider's key set is fetched again after this long, even when every `kid` is known. */
  @Transform(toInteger)
  @IsInt({ message: 'OIDC_JWKS_CACHE_MAX_AGE_MS must be a whole number of milliseconds' })
  @Min(1000)
  OIDC_JWKS_CACHE_MAX_AGE_MS = 600_000;

  /**
   * Worker processes sharing PORT (src/cluster/, decision 0175): a whole number, or `auto` for one
   * per core. 1: a single process, exactly as without the variable.
   */
  @Transform(toWebConcurrency)
  @IsIn(WORKER_COUNTS, { message: 'WEB_CONCURRENCY must be a whole number from 1 to 256, or auto' })
  WEB_CONCURRENCY = 1;
}

/**
 * Validates raw variables (environment first, then `.env`, then defaults) into a typed Environment:
 * the variables of the service as a whole. A domain's own variables are its config slice
 * (config-slice.ts), validated when its module starts.
 */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = validateVariables(Environment, raw);
  // Only production sits behind load balancers that need the drain; Ctrl-C elsewhere stops at once.
  if (isUnset(raw.SHUTDOWN_DRAIN_DELAY_MS) && env.NODE_ENV !== 'production') {
    env.SHUTDOWN_DRAIN_DELAY_MS = 0;
  }
  if (env.SHUTDOWN_DRAIN_DELAY_MS >= env.SHUTDOWN_TIMEOUT_MS) {
    throw new InvalidEnvironment([
      'SHUTDOWN_DRAIN_DELAY_MS must be less than SHUTDOWN_TIMEOUT_MS (the drain happens within the bound)',
    ]);
  }
  if (env.MANAGEMENT_PORT !== undefined && env.MANAGEMENT_PORT === env.PORT) {
    throw new InvalidEnvironment([
      'MANAGEMENT_PORT must differ from PORT (unset it to serve both on PORT)',
    ]);
  }
  if (env.DATABASE_READ_URLS?.length === 0) env.DATABASE_READ_URLS = undefined;
  if (env.DATABASE_READ_URLS !== undefined && env.DATABASE_URL === undefined) {
    throw new InvalidEnvironment([
      'DATABASE_READ_URLS needs DATABASE_URL: replicas of the embedded database do not exist',
    ]);
  }
  if (env.NODE_ENV === 'production') env.PRETTY_JSON = false;
  env.JWT_SECRET ??= DEVELOPMENT_JWT_SECRET;
  if (env.OIDC_ISSUER !== undefined) {
    // The provider owns the accounts: no built-in admin (src/auth/oidc/built-in-identity-ignored.ts).
    env.ADMIN_EMAIL = env.ADMIN_PASSWORD = undefined;
  } else if (env.NODE_ENV === 'development' && env.ADMIN_EMAIL === undefined) {
    env.ADMIN_EMAIL = DEVELOPMENT_ADMIN.email;
    env.ADMIN_PASSWORD = DEVELOPMENT_ADMIN.password;
  }
  return env;
}

const isUnset = (value: unknown): boolean => value === undefined || value === '';
