import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module.js';
import type { DomainParts } from '../../database/domain-parts.js';
import { CustomersModule } from '../customers/customers.module.js';
import { AccountsSeeder } from './accounts.seeder.js';
import { AccountsService } from './accounts.service.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { AuthController } from './auth.controller.js';
import { CredentialsService } from './credentials.service.js';
import { User } from './user.entity.js';
import { UsersController } from './users.controller.js';
import { oidcAccounts } from './oidc-accounts.provider.js';
import { AdminUsersController } from './users-admin.controller.js';
import { SessionsController } from './sessions.controller.js';
import { SESSION_ENTITIES, SessionsModule } from './sessions/sessions.module.js';

const entities = [User, ...SESSION_ENTITIES];

/**
 * Accounts: registration, login and its sessions, the caller's own account, the admins' account
 * routes, and the admin from the environment.
 */
@Module({
  imports: [MikroOrmModule.forFeature(entities), AuthModule, CustomersModule, SessionsModule],
  controllers: [AuthController, SessionsController, UsersController, AdminUsersController],
  providers: [AccountsService, CredentialsService, AdminBootstrap, oidcAccounts],
  exports: [AccountsService, oidcAccounts],
})
export class AccountsModule {
  static readonly parts: DomainParts = { entities, seeder: AccountsSeeder };
}
