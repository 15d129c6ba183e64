import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AuthModule } from '../../../auth/auth.module.js';
import { JobsModule } from '../../../jobs/jobs.module.js';
import { AccountChange } from './account-change.entity.js';
import { RefreshToken } from './refresh-token.entity.js';
import { RevocationFeed } from './revocation-feed.js';
import { RevocationNotices } from './revocation-notices.js';
import { Session } from './session.entity.js';
import { sessionsConfig } from './sessions.config.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { SessionPurge } from './session-purge.js';

export const SESSION_ENTITIES = [Session, RefreshToken, AccountChange];

/**
 * Sessions, refresh tokens and revocation at once on every instance: a capability of the accounts
 * domain, installed by AccountsModule. RevocationFeed keeps AuthModule's RevocationList current.
 */
@Module({
  imports: [
    MikroOrmModule.forFeature(SESSION_ENTITIES),
    ConfigModule.forFeature(sessionsConfig),
    AuthModule,
    JobsModule,
  ],
  providers: [SessionsRepository, SessionsService, RevocationNotices, RevocationFeed, SessionPurge],
  exports: [SessionsService, RevocationNotices],
})
export class SessionsModule {}
