import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { PageQueryDto } from '../../pagination/page-query.dto.js';
import { CreateCustomerDto } from './dto/create-customer.dto.js';
import { CustomerPageResponse } from './dto/customer-page.response.js';
import { CustomerResponse } from './dto/customer.response.js';
import { UpdateCustomerDto } from './dto/update-customer.dto.js';
import { CustomersService } from './customers.service.js';

const CustomerId = (): ParameterDecorator => Param('id', new ParseUUIDPipe());

@ApiTags('customers')
@Controller('api/v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @ApiProblems(400)
  async list(@Query() query: PageQueryDto): Promise<CustomerPageResponse> {
    const page = await this.customers.list(query);
    return {
      items: page.items.map((customer) => CustomerResponse.from(customer)),
      nextCursor: page.nextCursor,
    };
  }

  @Get(':id')
  @ApiProblems(400, 404)
  async get(@CustomerId() id: string): Promise<CustomerResponse> {
    return CustomerResponse.from(await this.customers.get(id));
  }

  @Post()
  @ApiProblems(400, 409, 413, 415)
  async create(
    @Body() body: CreateCustomerDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CustomerResponse> {
    const customer = await this.customers.create(body);
    reply.header('Location', `/api/v1/customers/${customer.id}`);
    return CustomerResponse.from(customer);
  }

  @Patch(':id')
  @ApiProblems(400, 404, 409, 413, 415)
  async update(
    @CustomerId() id: string,
    @Body() body: UpdateCustomerDto,
  ): Promise<CustomerResponse> {
    return CustomerResponse.from(await this.customers.update(id, body));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(400, 404)
  async remove(@CustomerId() id: string): Promise<void> {
    await this.customers.remove(id);
  }
}
