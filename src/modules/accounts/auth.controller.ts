import { Body, Controller, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { UserResponse } from './dto/user.response.js';
import { CredentialsService } from './credentials.service.js';
import { AccessTokenResponse } from './dto/access-token.response.js';
import { LoginDto } from './dto/login.dto.js';
import { RegisterDto } from './dto/register.dto.js';
import { Public } from '../../auth/public.decorator.js';
import { AuthRateLimit } from '../../auth/rate-limit/auth-rate-limit.decorator.js';
import { BuiltInIdentityRoute } from '../../auth/built-in-identity-route.decorator.js';

@ApiTags('auth')
@Controller('api/v1/auth')
@Public()
@AuthRateLimit()
@BuiltInIdentityRoute()
export class AuthController {
  constructor(private readonly auth: CredentialsService) {}

  @Post('register')
  @ApiProblems(400, 409, 429)
  async register(
    @Body() body: RegisterDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UserResponse> {
    const user = await this.auth.register(body);
    reply.header('Location', '/api/v1/users/me');
    return UserResponse.from(user);
  }

  @Post('login')
  @ApiProblems(400, 401, 429)
  @HttpCode(HttpStatus.OK)
  login(@Body() body: LoginDto): Promise<AccessTokenResponse> {
    return this.auth.login(body.email, body.password);
  }
}
