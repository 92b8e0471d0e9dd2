import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ApiCollectionDocs, ApiItemDocs, ApiWriteDocs } from '../common/openapi.decorators';
import { ParseIdPipe } from '../common/params';
import { Auth, Principal, Roles } from '../common/principal';
import { validateObject } from '../common/validation';
import { ApiKeyInput, ApiKeyView, UserInput, UserPatch, UserView } from './users.dto';
import { USER_SPEC, UsersService } from './users.service';

@ApiTags('Users and API keys')
@Controller('api/v3')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('users/me')
  @ApiOperation({ summary: 'The user your API key acts as', description: 'Who the X-API-Key belongs to: id, name, e-mail, role and tenant. Any role may call it.' })
  @ApiItemDocs(UserView)
  me(@Auth() p: Principal) {
    return this.users.get(p, p.userId);
  }

  @Get('users')
  @Roles('admin')
  @ApiOperation({ summary: 'List users (admin)', description: 'The users of your tenant (dealer group) with their roles; admin only.' })
  @ApiCollectionDocs(UserView, USER_SPEC)
  list(@Req() req: Request, @Auth() p: Principal) {
    return this.users.list(req, p);
  }

  @Get('users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Get a user (admin)', description: "One user of your tenant; admin only. Another tenant's user is 404." })
  @ApiItemDocs(UserView)
  get(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.users.get(p, id);
  }

  @Post('users')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin)', description: 'Then create an API key for the user with POST /api/v3/api-keys.' })
  @ApiBody({ type: UserInput })
  @ApiWriteDocs(UserView, 201)
  create(@Auth() p: Principal, @Body() body: unknown) {
    return this.users.create(p, validateObject(UserInput, body));
  }

  @Patch('users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Update a user (admin)', description: 'Change name or role, or disable the user (their keys stop working).' })
  @ApiBody({ type: UserPatch })
  @ApiWriteDocs(UserView, 200)
  patch(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() body: unknown) {
    return this.users.patch(p, id, validateObject(UserPatch, body));
  }

  @Get('api-keys')
  @Roles('admin')
  @ApiOperation({ summary: 'List API keys (admin)', description: 'Keys are stored hashed: only their prefix is shown.' })
  @ApiCollectionDocs(ApiKeyView, { order: {}, defaultOrder: [] })
  keys(@Req() req: Request, @Auth() p: Principal) {
    return this.users.keys(req, p);
  }

  @Post('api-keys')
  @Roles('admin')
  @ApiOperation({ summary: 'Create an API key (admin)', description: 'The response carries the key in `key` — the only time it is shown.' })
  @ApiBody({ type: ApiKeyInput })
  @ApiWriteDocs(ApiKeyView, 201)
  createKey(@Auth() p: Principal, @Body() body: unknown) {
    return this.users.createKey(p, validateObject(ApiKeyInput, body));
  }

  @Delete('api-keys/:id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin)', description: 'The key gets 401 from now on. Revoking twice is harmless.' })
  @ApiWriteDocs(null, 204)
  revoke(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.users.revoke(p, id);
  }
}
