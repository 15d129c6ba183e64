import {
  type ConfigFactory,
  type ConfigFactoryKeyHost,
  type ConfigObject,
  registerAs,
} from '@nestjs/config';
import { validateVariables } from './validate-variables.js';

/**
 * A domain's own variables, read from the environment when its module starts: a bad value stops
 * the boot with the same message as the core variables. Register it in the domain's module with
 * `ConfigModule.forFeature(slice)` and inject it with `@Inject(slice.KEY) config: ConfigType<typeof slice>`.
 */
export function configSlice<T extends ConfigObject>(
  name: string,
  variables: new () => T,
): ConfigFactory<T> & ConfigFactoryKeyHost<T> {
  return registerAs(name, () => validateVariables(variables, process.env));
}
