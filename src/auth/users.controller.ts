import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCollectionDocs, ApiItemDocs, ApiWriteDocs } from '../common/openapi.decorators';
import { ParseIdPipe } from '../common/params';
import { Collection, CollectionQuery } from '../common/collection.decorator';
import { Auth, Principal, Roles } from '../common/principal';
import { ApiKeyInput, ApiKeyView, UserInput, UserPatch, UserView } from './users.dto';
import { API_KEY_SPEC, USER_SPEC, UsersService } from './users.service';

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
  list(@Auth() p: Principal, @Collection(USER_SPEC, { properties: false }) q: CollectionQuery) {
    return this.users.list(p, q);
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
  create(@Auth() p: Principal, @Body() input: UserInput) {
    return this.users.create(p, input);
  }

  @Patch('users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Update a user (admin)', description: 'Change name or role, or disable the user (their keys stop working).' })
  @ApiBody({ type: UserPatch })
  @ApiWriteDocs(UserView, 200)
  patch(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() input: UserPatch) {
    return this.users.patch(p, id, input);
  }

  @Get('api-keys')
  @Roles('admin')
  @ApiOperation({ summary: 'List API keys (admin)', description: 'Keys are stored hashed: only their prefix is shown.' })
  @ApiCollectionDocs(ApiKeyView, API_KEY_SPEC)
  keys(@Auth() p: Principal, @Collection(API_KEY_SPEC, { properties: false }) q: CollectionQuery) {
    return this.users.keys(p, q);
  }

  @Post('api-keys')
  @Roles('admin')
  @ApiOperation({ summary: 'Create an API key (admin)', description: 'The response carries the key in `key` — the only time it is shown.' })
  @ApiBody({ type: ApiKeyInput })
  @ApiWriteDocs(ApiKeyView, 201)
  createKey(@Auth() p: Principal, @Body() input: ApiKeyInput) {
    return this.users.createKey(p, input);
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
