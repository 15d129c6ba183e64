import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../auth/actor.js';
import { CurrentActor } from '../../auth/current-actor.decorator.js';
import { BuiltInIdentityRoute } from '../../auth/built-in-identity-route.decorator.js';
import { Public } from '../../auth/public.decorator.js';
import { ApiProblems } from '../../http/api-problems.decorator.js';
import { AccountsService } from './accounts.service.js';
import { CredentialsService } from './credentials.service.js';
import { AccessTokenResponse } from './dto/access-token.response.js';
import { RefreshDto } from './dto/refresh.dto.js';
import { SessionsService } from './sessions/sessions.service.js';

/**
 * A login's session after it started: the next pair of tokens, and its end. Refresh is not under
 * AUTH_RATE_LIMIT_PER_MINUTE: a refresh token has 256 random bits, nothing to guess, and every
 * client of one address refreshes through it.
 */
@ApiTags('auth')
@Controller('api/v1/auth')
// Sessions are the built-in accounts': with an OpenID provider, it owns them (404 here).
@BuiltInIdentityRoute()
export class SessionsController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly accounts: AccountsService,
    private readonly sessions: SessionsService,
  ) {}

  /** Spends the refresh token for a new pair; a spent token sent again ends its session (401). */
  @Post('refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiProblems(400, 401, 413, 415)
  refresh(@Body() body: RefreshDto): Promise<AccessTokenResponse> {
    return this.credentials.refresh(body.refreshToken);
  }

  /** Ends the session of this access token: its tokens are refused at once, on every instance. */
  @Post('logout')
  @ApiBearerAuth('bearer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(401)
  async logout(@CurrentActor() actor: Actor): Promise<void> {
    // A token from before sessions has none to end; it expires on its own.
    if (actor.sessionId !== undefined) await this.sessions.end(actor.userId, actor.sessionId);
  }

  /** Ends every session of the account, this one included. */
  @Post('logout-all')
  @ApiBearerAuth('bearer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiProblems(401)
  async logoutAll(@CurrentActor() actor: Actor): Promise<void> {
    await this.accounts.signOutEverywhere(actor.userId);
  }
}
