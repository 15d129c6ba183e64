import { Body, Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../auth/actor.js';
import { BuiltInIdentityRoute } from '../../auth/built-in-identity-route.decorator.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { UserResponse } from './dto/user.response.js';
import { AccountsService } from './accounts.service.js';
import { CredentialsService } from './credentials.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';

@ApiTags('users')
@ApiBearerAuth('bearer')
@Controller('api/v1/users')
export class UsersController {
  constructor(
    private readonly users: AccountsService,
    private readonly credentials: CredentialsService,
  ) {}

  @Get('me')
  @ApiProblems(401)
  async me(@CurrentActor() actor: Actor): Promise<UserResponse> {
    return UserResponse.from(await this.users.get(actor.userId));
  }

  /**
   * Changes the caller's password (403 when `currentPassword` is wrong); every other session of
   * the account ends, this one stays.
   */
  @Post('me/password')
  // An account from an OpenID provider has no password here: the provider owns it (404).
  @BuiltInIdentityRoute()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(400, 401, 403, 413, 415)
  async changePassword(
    @CurrentActor() actor: Actor,
    @Body() body: ChangePasswordDto,
  ): Promise<void> {
    await this.credentials.changePassword(actor, body.currentPassword, body.newPassword);
  }
}
