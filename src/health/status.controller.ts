import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { EventLoopLoad, type Load } from './event-loop-load.js';

export class StatusResponse {
  status!: 'UP';
  load!: Load;
}

@Controller()
export class StatusController {
  constructor(private readonly load: EventLoopLoad) {}

  @Get()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @ApiOkResponse({
    description: 'Always this text',
    content: { 'text/plain': { schema: { type: 'string', enum: ['Health Check: Operational'] } } },
  })
  root(): string {
    return 'Health Check: Operational';
  }

  @Get('api/v1/status')
  status(): StatusResponse {
    return { status: 'UP', load: this.load.current() };
  }
}
