import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { CustomersService } from './customers.service.js';

@Controller('api/v1/customers')
export class CustomersController {
  constructor(private readonly customersService: CustomersService) {}

  @Get(':id')
  findOne(@Param('id', ParseUUIDPipe) id: string) {
    return this.customersService.findOne(id);
  }
}
