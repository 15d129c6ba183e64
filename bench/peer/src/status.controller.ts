import { Controller, Get } from '@nestjs/common';
import { Public } from './auth/public.decorator.js';

@Controller('api/v1/status')
export class StatusController {
  @Public()
  @Get()
  status() {
    return { status: 'UP', load: 'normal' };
  }
}
