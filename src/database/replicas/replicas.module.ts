import { Global, Module } from '@nestjs/common';
import { ReplicaReads } from './replica-reads.js';

/** Read replicas (DATABASE_READ_URLS): health checks, read routing, consistency tokens. */
@Global()
@Module({ providers: [ReplicaReads], exports: [ReplicaReads] })
export class ReplicasModule {}
