import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/roles.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { IdParam } from '../../http/resource-id.js';
import { renderPage } from '../../pagination/page.js';
import { AccountsService } from './accounts.service.js';
import { AdminUserPageResponse, AdminUserResponse } from './dto/admin-user.response.js';
import { UpdateUserDto } from './dto/update-user.dto.js';
import { UserListQuery } from './dto/user-list.query.js';

/** Admins find accounts, change their role, disable and delete them; never the last active admin. */
@ApiTags('users')
@ApiBearerAuth('bearer')
@Controller('api/v1/users')
@Roles('admin')
export class AdminUsersController {
  constructor(private readonly users: AccountsService) {}

  @Get()
  @ApiProblems(400, 401, 403)
  async list(@Query() query: UserListQuery): Promise<AdminUserPageResponse> {
    return renderPage(await this.users.list(query, query.email), AdminUserResponse.from);
  }

  /** 409 when it would demote or disable the last active admin. */
  @Patch(':id')
  @ApiProblems(400, 401, 403, 404, 409, 413, 415)
  async update(@IdParam() id: string, @Body() body: UpdateUserDto): Promise<AdminUserResponse> {
    return AdminUserResponse.from(await this.users.update(id, body));
  }

  /** The account and its sessions go; its customer record and orders stay. 409 for the last active admin. */
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(400, 401, 403, 404, 409)
  async remove(@IdParam() id: string): Promise<void> {
    await this.users.remove(id);
  }
}
