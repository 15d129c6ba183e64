import type { Options } from '@mikro-orm/postgresql';
import type { Seeder } from '@mikro-orm/seeder';
import type { Type } from '@nestjs/common';

export type EntityList = NonNullable<Options['entities']>;

/** What a domain brings to the database: its entities and, if it has some, its demo data. */
export interface DomainParts {
  entities: EntityList;
  seeder?: new () => Seeder;
}

/**
 * A domain's Nest module, which names its parts for what runs without Nest (migrations, the seed):
 * the app itself finds the same entities through the module's `MikroOrmModule.forFeature`.
 */
export type DomainModule = Type & { readonly parts: DomainParts };
