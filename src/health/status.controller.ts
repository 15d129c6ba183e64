import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiProperty } from '@nestjs/swagger';
import { EventLoopLoad, type Load } from './event-loop-load.js';

// Documented by hand: the Swagger plugin reads only *.dto.ts and *.response.ts files.
export class StatusResponse {
  @ApiProperty({ enum: ['UP'] })
  status!: 'UP';

  @ApiProperty({ enum: ['normal', 'high'] })
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
