import { Body, Get, HttpCode, Param, Post, Put, Req } from '@nestjs/common';
import { ApiBody, ApiParam } from '@nestjs/swagger';
import { ParseIdPipe } from '../../common/params';
import { Roles } from '../../common/principal';
import type { Request } from 'express';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { AccountAdminService } from './account-admin.service';
import { AccountsService } from './accounts.service';
import {
  AcceptedView,
  AccountSettingsInput,
  AccountSettingsView,
  AccountStatusView,
  EmailChangeInput,
  LoginInput,
  PasswordChangeInput,
  PasswordResetInput,
  PasswordResetRequestInput,
  ProfileInput,
  ProfileView,
  RegisterInput,
  RegistrationView,
  SessionView,
} from './accounts.dto';

const ACCOUNT_ID = ApiParam({ name: 'id', description: 'Programme account id (the id of admin/customers).', example: 12 });

@ProgramController('Customer programme — accounts')
export class AccountsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly admin: AccountAdminService,
  ) {}

  @Post('auth/register')
  @HttpCode(202)
  @ProgramRoute('anonymous')
  @Doc(
    'Customer registration',
    "Creates the account (password hashed with argon2id) and a dealer-side customer record; then log in with auth/login. The answer is the same whether or not the e-mail already had an account (nothing is created then, and the password sent is ignored), so registration does not tell which e-mails are registered. Each registration spends one of the address's password checks (PASSWORD_CHECKS_PER_IP a minute).",
    { status: 202, type: RegistrationView, description: 'Accepted: the account exists now (new, or from before).' },
    [
      [403, "Public registration is closed in this programme (the tenant's account settings)."],
      [422, 'Invalid fields (violations name them).'],
      [429, 'The address has used its password checks for this minute (Retry-After, X-RateLimit-*).'],
      [503, 'The server is busy hashing passwords (Retry-After).'],
    ],
  )
  @ApiBody({ type: RegisterInput })
  register(@ProgramCaller() c: Caller, @Body() input: RegisterInput, @Req() req: Request) {
    return this.accounts.register(c.tenant, input, req.ip ?? '');
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
      [403, 'The account is disabled (said only when the password is right).'],
      [422, 'Malformed fields (e.g. an e-mail or password longer than allowed).'],
      [429, 'Locked after repeated failed logins, or the address has used its password checks (Retry-After, X-RateLimit-*).'],
      [503, 'The server is busy hashing passwords (Retry-After).'],
    ],
  )
  @ApiBody({ type: LoginInput })
  login(@ProgramCaller() c: Caller, @Body() input: LoginInput, @Req() req: Request) {
    return this.accounts.login(c.tenant, input, req.ip ?? '');
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
  updateProfile(@ProgramCaller() c: Caller, @Body() input: ProfileInput) {
    return this.accounts.updateProfile(c.customer!, input);
  }

  @Post('auth/password-reset/request')
  @HttpCode(202)
  @ProgramRoute('anonymous')
  @Doc(
    'Ask for a password reset',
    "E-mails a single-use reset code (valid PASSWORD_RESET_MINUTES, 60 by default) to the account, sent by the job runner. The answer is the same whether or not the e-mail has an account (and for a disabled account, which gets no mail), so it does not tell which e-mails are registered; at most 3 mails per e-mail an hour. Spends one of the address's password checks (PASSWORD_CHECKS_PER_IP a minute).",
    { status: 202, type: AcceptedView, description: 'Accepted.' },
    [
      [422, 'Invalid fields.'],
      [429, 'The address has used its password checks for this minute (Retry-After).'],
    ],
  )
  @ApiBody({ type: PasswordResetRequestInput })
  requestReset(@ProgramCaller() c: Caller, @Body() input: PasswordResetRequestInput, @Req() req: Request) {
    return this.accounts.requestReset(c.tenant, input, req.ip ?? '');
  }

  @Post('auth/password-reset')
  @HttpCode(204)
  @ProgramRoute('anonymous')
  @Doc(
    'Reset the password with the e-mailed code',
    "Sets the new password. The code works once (also when sent twice at the same moment); the account's sessions end and its other codes stop working; login locks of the e-mail are lifted.",
    { status: 204, description: 'The password is changed: log in with it.' },
    [
      [410, 'The code has expired: ask for a new one.'],
      [422, 'The code is not valid or was used already, or the new password is invalid.'],
      [429, 'The address has used its password checks for this minute (Retry-After).'],
      [503, 'The server is busy hashing passwords (Retry-After).'],
    ],
  )
  @ApiBody({ type: PasswordResetInput })
  async resetPassword(@ProgramCaller() c: Caller, @Body() input: PasswordResetInput, @Req() req: Request) {
    await this.accounts.resetPassword(c.tenant, input, req.ip ?? '');
  }

  @Put('auth/password')
  @HttpCode(204)
  @ProgramRoute('customer')
  @Doc(
    'Change the password',
    'Needs the current password (checked like a login: wrong ones count towards the login backoff). Every other session of the account ends; this one stays.',
    { status: 204, description: 'Changed.' },
    [
      [422, 'current_password is wrong, or new_password is invalid.'],
      [429, 'Locked after repeated wrong passwords, or the address has used its password checks (Retry-After).'],
      [503, 'The server is busy hashing passwords (Retry-After).'],
    ],
  )
  @ApiBody({ type: PasswordChangeInput })
  async changePassword(@ProgramCaller() c: Caller, @Body() input: PasswordChangeInput, @Req() req: Request) {
    await this.accounts.changePassword(c.customer!, input, req.ip ?? '');
  }

  @Put('auth/email')
  @ProgramRoute('customer')
  @Doc(
    'Change the login e-mail',
    'Needs the password. The e-mail must be free in this programme; the dealer-side customer record gets the new e-mail too.',
    { status: 200, type: ProfileView, description: 'The profile with the new e-mail.' },
    [
      [409, 'Another account of this programme has that e-mail.'],
      [422, 'The password is wrong, or the e-mail is invalid.'],
      [429, 'Locked after repeated wrong passwords, or the address has used its password checks (Retry-After).'],
    ],
  )
  @ApiBody({ type: EmailChangeInput })
  changeEmail(@ProgramCaller() c: Caller, @Body() input: EmailChangeInput, @Req() req: Request) {
    return this.accounts.changeEmail(c.customer!, input, req.ip ?? '');
  }

  @Post('admin/customers/:id/unlock')
  @HttpCode(200)
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @ACCOUNT_ID
  @Doc('Unlock an account (admin)', "Lifts the login backoff of the account's e-mail from every address at once.", { status: 200, type: AccountStatusView, description: 'Unlocked.' })
  unlock(@ProgramCaller() c: Caller, @Param('id', ParseIdPipe) id: number) {
    return this.admin.unlock(c, id);
  }

  @Post('admin/customers/:id/disable')
  @HttpCode(200)
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @ACCOUNT_ID
  @Doc('Disable an account (admin)', 'The account cannot log in (403) and its sessions end at once; its submissions stay. Disabling twice changes nothing.', {
    status: 200,
    type: AccountStatusView,
    description: 'Disabled.',
  })
  disable(@ProgramCaller() c: Caller, @Param('id', ParseIdPipe) id: number) {
    return this.admin.setDisabled(c, id, true);
  }

  @Post('admin/customers/:id/enable')
  @HttpCode(200)
  @ProgramRoute('staff')
  @Roles('admin', 'manager')
  @ACCOUNT_ID
  @Doc('Enable an account (admin)', 'The account can log in again (with a new login: ended sessions stay ended).', { status: 200, type: AccountStatusView, description: 'Enabled.' })
  enable(@ProgramCaller() c: Caller, @Param('id', ParseIdPipe) id: number) {
    return this.admin.setDisabled(c, id, false);
  }

  @Get('admin/account-settings')
  @ProgramRoute('staff')
  @Doc('Account settings', 'Whether public registration is open (the default) or closed.', { status: 200, type: AccountSettingsView, description: 'The settings.' })
  settings(@ProgramCaller() c: Caller) {
    return this.admin.settings(c);
  }

  @Put('admin/account-settings')
  @ProgramRoute('staff')
  @Roles('admin')
  @Doc(
    'Change the account settings (admin)',
    'public_signup false closes registration: POST auth/register answers 403; existing accounts keep working (login, reset).',
    { status: 200, type: AccountSettingsView, description: 'The settings now.' },
    [[422, 'Invalid fields.']],
  )
  @ApiBody({ type: AccountSettingsInput })
  putSettings(@ProgramCaller() c: Caller, @Body() input: AccountSettingsInput) {
    return this.admin.putSettings(c, input);
  }
}
