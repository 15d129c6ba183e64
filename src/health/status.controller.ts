import { Controller, Get, Header } from '@nestjs/common';
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
  root(): string {
    return 'Health Check: Operational';
  }

  @Get('api/v1/status')
  status(): StatusResponse {
    return { status: 'UP', load: this.load.current() };
  }
}
