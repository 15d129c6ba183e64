import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { IdParam } from '../../http/resource-id.js';
import type { Actor } from '../../auth/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { Roles } from '../../auth/roles.decorator.js';
import { etagFor, expectedVersion } from '../../http/etag.js';
import { PageQueryDto } from '../../pagination/page-query.dto.js';
import { CreateCustomerDto } from './dto/create-customer.dto.js';
import { CustomerPageResponse } from './dto/customer-page.response.js';
import { CustomerResponse } from './dto/customer.response.js';
import { UpdateCustomerDto } from './dto/update-customer.dto.js';
import type { CustomerView } from './customer.entity.js';
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
    const page = await this.customers.list(actor, query);
    return {
      items: page.items.map((customer) => CustomerResponse.from(customer)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'ETag of a cached copy: 304 if unchanged',
  })
  @ApiProblems(400, 401, 404)
  async get(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    return tagged(reply, await this.customers.read(actor, id));
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
    return tagged(reply, customer);
  }

  @Patch(':id')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag last read: 412 if the customer changed since',
  })
  @ApiProblems(400, 401, 403, 404, 409, 412, 413, 415)
  async update(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Body() body: UpdateCustomerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    return tagged(reply, await this.customers.update(actor, id, body, expectedVersion(ifMatch)));
  }

  // Deleting a record would leave its account without one: admins only.
  @Delete(':id')
  @Roles('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'ETag last read: 412 if the customer changed since',
  })
  @ApiProblems(400, 401, 403, 404, 409, 412)
  async remove(
    @CurrentActor() actor: Actor,
    @IdParam() id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.customers.remove(actor, id, expectedVersion(ifMatch));
  }
}

function tagged(reply: FastifyReply, customer: CustomerView): CustomerResponse {
  reply.header('ETag', etagFor(customer.version));
  return CustomerResponse.from(customer);
}
