import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { etagFor, expectedVersion } from '../../http/etag.js';
import { PageQueryDto } from '../../pagination/page-query.dto.js';
import { CreateCustomerDto } from './dto/create-customer.dto.js';
import { CustomerPageResponse } from './dto/customer-page.response.js';
import { CustomerResponse } from './dto/customer.response.js';
import { UpdateCustomerDto } from './dto/update-customer.dto.js';
import type { Customer } from './customer.entity.js';
import { CustomersService } from './customers.service.js';

const CustomerId = (): ParameterDecorator => Param('id', new ParseUUIDPipe());

@Controller('api/v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  async list(@Query() query: PageQueryDto): Promise<CustomerPageResponse> {
    const page = await this.customers.list(query);
    return {
      items: page.items.map((customer) => CustomerResponse.from(customer)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  async get(
    @CustomerId() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    return tagged(reply, await this.customers.get(id));
  }

  @Post()
  async create(
    @Body() body: CreateCustomerDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    const customer = await this.customers.create(body);
    reply.header('Location', `/api/v1/customers/${customer.id}`);
    return tagged(reply, customer);
  }

  @Patch(':id')
  async update(
    @CustomerId() id: string,
    @Body() body: UpdateCustomerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    return tagged(reply, await this.customers.update(id, body, expectedVersion(ifMatch)));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  async remove(
    @CustomerId() id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<void> {
    await this.customers.remove(id, expectedVersion(ifMatch));
  }
}

function tagged(reply: FastifyReply, customer: Customer): CustomerResponse {
  reply.header('ETag', etagFor(customer.version));
  return CustomerResponse.from(customer);
}
