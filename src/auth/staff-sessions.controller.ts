import { Body, Controller, Delete, Headers, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiCommonErrors, itemContent, problem } from '../common/openapi.decorators';
import { ParseIdPipe } from '../common/params';
import { ItemResult } from '../common/responses';
import { Auth, Principal, Public, Roles } from '../common/principal';
import { StaffLoginInput, StaffPasswordInput, StaffSessionView } from './staff-sessions.dto';
import { StaffSessionsService } from './staff-sessions.service';

@ApiTags('Users and API keys')
@Controller('api/v3')
export class StaffSessionsController {
  constructor(private readonly sessions: StaffSessionsService) {}

  @Post('staff-sessions')
  @Public()
  @HttpCode(200)
  @ApiSecurity({})
  @ApiOperation({
    summary: 'Staff sign-in (the admin at /admin)',
    description:
      'Answers with a session token for `Authorization: Bearer <token>`, which works like an API key of the user (same role rules). Budgeted and backed off like the programme login: LOGIN_MAX_FAILURES wrong passwords in a row for one e-mail from one address make that address wait (LOGIN_BACKOFF_SECONDS, doubling up to LOGIN_LOCK_SECONDS); PASSWORD_CHECKS_PER_IP checks a minute per address.',
  })
  @ApiBody({ type: StaffLoginInput })
  @ApiCommonErrors()
  @ApiExtraModels(StaffSessionView)
  @ApiResponse({ status: 200, description: 'Signed in.', content: itemContent(StaffSessionView) })
  @problem(422, 'Validation failed; `violations` lists every invalid field.')
  @problem(429, 'Locked after repeated failed sign-ins, or the address has used its password checks (Retry-After).')
  @problem(401, 'Wrong dealer group, e-mail or password (or the user is disabled or has no password).')
  @problem(503, 'The server is busy checking passwords (Retry-After).')
  async login(@Body() input: StaffLoginInput, @Req() req: Request) {
    return new ItemResult(await this.sessions.login(input, req.ip ?? ''), { status: 200 });
  }

  @Delete('staff-sessions/current')
  @Public()
  @HttpCode(204)
  @ApiSecurity({})
  @ApiOperation({ summary: 'Staff sign-out', description: 'Ends the session whose token is sent as `Authorization: Bearer`. An unknown or ended token is no error (204 again).' })
  @ApiCommonErrors()
  @ApiResponse({ status: 204, description: 'Signed out.' })
  async logout(@Headers('authorization') authorization?: string) {
    await this.sessions.logout(authorization);
  }

  @Put('users/:id/password')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: "Set a user's staff password (admin)", description: 'The user can then sign in to the admin at /admin. Every session the user had ends.' })
  @ApiBody({ type: StaffPasswordInput })
  @ApiCommonErrors()
  @ApiResponse({ status: 204, description: 'Password set.' })
  @problem(404, 'Not found (or belongs to another tenant).')
  @problem(422, 'Validation failed; `violations` lists every invalid field.')
  async setPassword(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() input: StaffPasswordInput) {
    await this.sessions.setPassword(p, id, input);
  }
}
