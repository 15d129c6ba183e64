import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'keel:public';

/** Opts a controller or a single handler out of authentication (every route needs a token otherwise). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
