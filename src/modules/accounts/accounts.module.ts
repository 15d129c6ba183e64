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

const entities = [User];

/** Accounts: registration, login, the caller's own account, and the admin from the environment. */
@Module({
  imports: [MikroOrmModule.forFeature(entities), AuthModule, CustomersModule],
  controllers: [AuthController, UsersController],
  providers: [AccountsService, CredentialsService, AdminBootstrap, oidcAccounts],
  exports: [AccountsService, oidcAccounts],
})
export class AccountsModule {
  static readonly parts: DomainParts = { entities, seeder: AccountsSeeder };
}
