import { Body, Get, HttpCode, Post, Put, Req } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { Request } from 'express';
import { validateObject } from '../../common/validation';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { AccountsService } from './accounts.service';
import { LoginInput, ProfileInput, ProfileView, RegisterInput, RegistrationView, SessionView } from './accounts.dto';

@ProgramController('Customer programme — accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post('auth/register')
  @HttpCode(202)
  @ProgramRoute('anonymous')
  @Doc(
    'Customer registration',
    "Creates the account (password hashed with argon2id) and a dealer-side customer record; then log in with auth/login. The answer is the same whether or not the e-mail already had an account (nothing is created then, and the password sent is ignored), so registration does not tell which e-mails are registered. Each registration spends one of the address's password checks (PASSWORD_CHECKS_PER_IP a minute).",
    { status: 202, type: RegistrationView, description: 'Accepted: the account exists now (new, or from before).' },
    [
      [422, 'Invalid fields (violations name them).'],
      [429, 'The address has used its password checks for this minute (Retry-After, X-RateLimit-*).'],
      [503, 'The server is busy hashing passwords (Retry-After).'],
    ],
  )
  @ApiBody({ type: RegisterInput })
  register(@ProgramCaller() c: Caller, @Body() body: unknown, @Req() req: Request) {
    return this.accounts.register(c.tenant, validateObject(RegisterInput, body), req.ip ?? '');
  }

  @Post('auth/login')
  @HttpCode(200)
  @ProgramRoute('anonymous')
  @Doc(
    'Customer login',
    "Answers with a new session token (send it as `Authorization: Bearer <token>`). After LOGIN_MAX_FAILURES (5) wrong passwords in a row for one e-mail from one address, that address waits LOGIN_BACKOFF_SECONDS (30 s), doubling with each further lock up to LOGIN_LOCK_SECONDS (15 min) — even for the right password. Other addresses the customer has logged in from are not affected. Each login spends one of the address's password checks (PASSWORD_CHECKS_PER_IP a minute).",
    { status: 200, type: SessionView, description: 'Logged in.' },
    [
      [401, 'Wrong e-mail or password.'],
      [422, 'Malformed fields (e.g. an e-mail or password longer than allowed).'],
      [429, 'Locked after repeated failed logins, or the address has used its password checks (Retry-After, X-RateLimit-*).'],
      [503, 'The server is busy hashing passwords (Retry-After).'],
    ],
  )
  @ApiBody({ type: LoginInput })
  login(@ProgramCaller() c: Caller, @Body() body: unknown, @Req() req: Request) {
    return this.accounts.login(c.tenant, validateObject(LoginInput, body), req.ip ?? '');
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ProgramRoute('customer')
  @Doc('Logout', 'Revokes the session token used for this request.', { status: 204, description: 'Logged out.' })
  async logout(@ProgramCaller() c: Caller) {
    await this.accounts.logout(c.customer!);
  }

  @Get('auth/me')
  @ProgramRoute('customer')
  @Doc('Current customer', "The logged-in customer's profile.", { status: 200, type: ProfileView, description: 'The profile.' })
  me(@ProgramCaller() c: Caller) {
    return this.accounts.profile(c.customer!);
  }

  @Get('profile')
  @ProgramRoute('customer')
  @Doc('Get the profile', 'Same as auth/me.', { status: 200, type: ProfileView, description: 'The profile.' })
  profile(@ProgramCaller() c: Caller) {
    return this.accounts.profile(c.customer!);
  }

  @Put('profile')
  @ProgramRoute('customer')
  @Doc(
    'Update the profile',
    'Only the fields sent change; null clears an optional field. The dealer-side customer record changes with it.',
    { status: 200, type: ProfileView, description: 'The updated profile.' },
    [[422, 'Invalid fields.']],
  )
  @ApiBody({ type: ProfileInput })
  updateProfile(@ProgramCaller() c: Caller, @Body() body: unknown) {
    return this.accounts.updateProfile(c.customer!, validateObject(ProfileInput, body));
  }
}
