import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { IdParam } from '../../http/resource-id.js';
import type { Actor } from '../../auth/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { ApiIfMatch, ApiIfNoneMatch, IfMatchVersion, tagged } from '../../http/resource-version.js';
import { PageQueryDto } from '../../pagination/page-query.dto.js';
import { renderPage } from '../../pagination/page.js';
import { CreateCustomerDto } from './dto/create-customer.dto.js';
import { CustomerPageResponse } from './dto/customer-page.response.js';
import { CustomerResponse } from './dto/customer.response.js';
import { UpdateCustomerDto } from './dto/update-customer.dto.js';
import { CustomersService } from './customers.service.js';

@ApiTags('customers')
@ApiBearerAuth('bearer')
@Controller('api/v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiProblems(400, 401)
  async list(
    @CurrentActor() actor: Actor,
    @Query() query: PageQueryDto,
  ): Promise<CustomerPageResponse> {
    return renderPage(await this.customers.list(actor, query), CustomerResponse.from);
  }

  @Get(':id')
  @ApiIfNoneMatch()
  @ApiProblems(400, 401, 404)
  async get(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    return tagged(reply, await this.customers.get(actor, id), CustomerResponse.from);
  }

  // A customer's own record is created when they register.
  @Post()
  @Roles('admin')
  @ApiProblems(400, 401, 403, 409, 413, 415)
  async create(
    @Body() body: CreateCustomerDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    const customer = await this.customers.create(body);
    reply.header('Location', `/api/v1/customers/${customer.id}`);
    return tagged(reply, customer, CustomerResponse.from);
  }

  @Patch(':id')
  @ApiIfMatch('customer')
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 415)
  async update(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Body() body: UpdateCustomerDto,
    @IfMatchVersion() version: number | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    const customer = await this.customers.update(actor, id, body, version);
    return tagged(reply, customer, CustomerResponse.from);
  }

  // Deleting a record would leave its account without one: admins only.
  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiIfMatch('customer')
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async remove(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @IfMatchVersion() version: number | undefined,
  ): Promise<void> {
    await this.customers.remove(actor, id, version);
  }
}
