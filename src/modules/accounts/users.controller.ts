import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../auth/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { UserResponse } from './dto/user.response.js';
import { AccountsService } from './accounts.service.js';

@ApiTags('users')
@ApiBearerAuth('bearer')
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly users: AccountsService) {}

  @Get('me')
  @ApiProblems(401)
  async me(@CurrentActor() actor: Actor): Promise<UserResponse> {
    return UserResponse.from(await this.users.get(actor.userId));
  }
}
