import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  validateSync,
} from 'class-validator';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

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

  @ValidateIf((env: Environment) => env.NODE_ENV === 'production' || env.DATABASE_URL !== undefined)
  @Matches(/^postgres(ql)?:\/\/\S+$/, {
    message: 'DATABASE_URL must be a postgres:// URL (required when NODE_ENV=production)',
  })
  DATABASE_URL?: string = undefined;

  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  DB_POOL_MAX = 20;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Transform(toBoolean)
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

  /** How long after it is placed an order is confirmed by its job (stands in for payment). */
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  ORDER_CONFIRM_DELAY_MS = 2000;

  /** An order still pending this long after it was placed expires and its stock is returned. */
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  ORDER_EXPIRY_MS = 900_000;

  /** Whether this instance runs job workers; with false it only enqueues (an API-only instance). */
  @Transform(toBoolean)
  @IsBoolean()
  JOB_WORKERS = true;
}

export class InvalidEnvironment extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'InvalidEnvironment';
  }
}

/** Validates raw variables (environment first, then `.env`, then defaults) into a typed Environment. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const known = Object.keys(new Environment());
  const relevant = Object.fromEntries(
    Object.entries(raw).filter(([key, value]) => value !== '' && known.includes(key)),
  );
  const env = plainToInstance(Environment, relevant, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length > 0) {
    throw new InvalidEnvironment(errors.flatMap((error) => Object.values(error.constraints ?? {})));
  }
  if (env.NODE_ENV === 'production') env.PRETTY_JSON = false;
  return env;
}
