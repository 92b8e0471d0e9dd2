import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { DataSource, IsNull } from 'typeorm';
import { ApiCollectionDocs, ApiItemDocs, ApiWriteDocs } from '../common/openapi.decorators';
import { applyFilters, applyOrder, CollectionSpec, parsePagination, readQuery } from '../common/collection';
import { fetchPage } from '../database/paginate';
import { badRequest, conflict, notFound, ValidationFailed } from '../common/errors';
import { iriOf, parseIdIri } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { ParseIdPipe } from '../common/params';
import { CollectionResult, ItemResult } from '../common/responses';
import { isoTimestamp } from '../common/serialize';
import { validateObject } from '../common/validation';
import { TxService } from '../database/tx.service';
import { ApiKey } from './api-key.entity';
import { AuthService } from './auth.service';
import { createApiKey, createUser } from './keys';
import { Auth, Principal, Roles } from '../common/principal';
import { User } from './user.entity';
import { ApiKeyInput, ApiKeyView, UserInput, UserPatch, UserView } from './users.dto';

export const serializeUser = (u: User) =>
  ldNode('User', {
    id: u.id,
    iri: iriOf('users', u.id),
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: u.disabledAt !== null,
    createdAt: isoTimestamp(u.createdAt),
  });

export const serializeApiKey = (k: ApiKey, plaintext?: string) =>
  ldNode('ApiKey', {
    id: k.id,
    iri: iriOf('api-keys', k.id),
    name: k.name,
    prefix: k.prefix,
    user: k.user ? serializeUser(k.user) : null,
    createdAt: isoTimestamp(k.createdAt),
    lastUsedAt: isoTimestamp(k.lastUsedAt),
    revokedAt: isoTimestamp(k.revokedAt),
    ...(plaintext ? { key: plaintext } : {}),
  });

const userSpec: CollectionSpec = {
  order: { id: 'u.id', name: 'u.name', email: 'u.email' },
  exact: { role: { column: 'u.role', values: ['admin', 'manager', 'readonly'] }, email: { column: 'u.email' } },
  partial: { name: 'u.name' },
  defaultOrder: [['u.id', 'ASC']],
};

@ApiTags('Users and API keys')
@Controller('api/v3')
export class UsersController {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
    private readonly auth: AuthService,
  ) {}

  private async findUser(p: Principal, id: number): Promise<User> {
    const user = await this.ds.getRepository(User).findOneBy({ id, tenantId: p.tenantId });
    if (!user) throw notFound(`User ${id} was not found.`);
    return user;
  }

  @Get('users/me')
  @ApiOperation({ summary: 'The user your API key acts as', description: 'Who the X-API-Key belongs to: id, name, e-mail, role and tenant. Any role may call it.' })
  @ApiItemDocs(UserView)
  async me(@Auth() p: Principal) {
    return new ItemResult(serializeUser(await this.findUser(p, p.userId)));
  }

  @Get('users')
  @Roles('admin')
  @ApiOperation({ summary: 'List users (admin)', description: 'The users of your tenant (dealer group) with their roles; admin only.' })
  @ApiCollectionDocs(UserView, userSpec)
  async list(@Req() req: Request, @Auth() p: Principal) {
    const q = readQuery(req);
    const pagination = parsePagination(q);
    const qb = this.ds.getRepository(User).createQueryBuilder('u').where('u.tenantId = :t', { t: p.tenantId });
    applyFilters(qb, userSpec, q);
    applyOrder(qb, userSpec, q);
    const { rows, total, hasNext } = await fetchPage(qb, pagination);
    return new CollectionResult('User', rows.map(serializeUser), total, pagination, hasNext, q);
  }

  @Get('users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Get a user (admin)', description: "One user of your tenant; admin only. Another tenant's user is 404." })
  @ApiItemDocs(UserView)
  async get(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return new ItemResult(serializeUser(await this.findUser(p, id)));
  }

  @Post('users')
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin)', description: 'Then create an API key for the user with POST /api/v3/api-keys.' })
  @ApiBody({ type: UserInput })
  @ApiWriteDocs(UserView, 201)
  async create(@Auth() p: Principal, @Body() body: unknown) {
    const input = validateObject(UserInput, body);
    const user = await this.tx.run(async (em) => {
      if (await em.getRepository(User).findOneBy({ tenantId: p.tenantId, email: input.email })) {
        throw conflict(`A user with e-mail ${input.email} already exists.`);
      }
      return createUser(em, p.tenantId, input.email, input.name, input.role);
    });
    return new ItemResult(serializeUser(user), { status: 201, location: iriOf('users', user.id) });
  }

  @Patch('users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Update a user (admin)', description: 'Change name or role, or disable the user (their keys stop working).' })
  @ApiBody({ type: UserPatch })
  @ApiWriteDocs(UserView, 200)
  async patch(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body() body: unknown) {
    const input = validateObject(UserPatch, body);
    if (id === p.userId && (input.disabled || (input.role && input.role !== 'admin'))) {
      throw new ValidationFailed([{ propertyPath: input.disabled ? 'disabled' : 'role', message: 'You cannot demote or disable yourself.', code: 'forbidden' }]);
    }
    const user = await this.tx.run(async (em) => {
      const u = await em.getRepository(User).findOneBy({ id, tenantId: p.tenantId });
      if (!u) throw notFound(`User ${id} was not found.`);
      if (input.name !== undefined) u.name = input.name;
      if (input.role !== undefined) u.role = input.role;
      if (input.disabled !== undefined) u.disabledAt = input.disabled ? (u.disabledAt ?? new Date()) : null;
      u.updatedAt = new Date();
      return em.getRepository(User).save(u);
    });
    await this.auth.invalidate();
    return new ItemResult(serializeUser(user));
  }

  @Get('api-keys')
  @Roles('admin')
  @ApiOperation({ summary: 'List API keys (admin)', description: 'Keys are stored hashed: only their prefix is shown.' })
  @ApiCollectionDocs(ApiKeyView, { order: {}, defaultOrder: [] })
  async keys(@Req() req: Request, @Auth() p: Principal) {
    const q = readQuery(req);
    const pagination = parsePagination(q);
    const qb = this.ds.getRepository(ApiKey).createQueryBuilder('k').leftJoinAndSelect('k.user', 'user').where('k.tenantId = :t', { t: p.tenantId }).orderBy('k.id', 'ASC');
    const { rows, total, hasNext } = await fetchPage(qb, pagination);
    return new CollectionResult(
      'ApiKey',
      rows.map((k) => serializeApiKey(k)),
      total,
      pagination,
      hasNext,
      q,
    );
  }

  @Post('api-keys')
  @Roles('admin')
  @ApiOperation({ summary: 'Create an API key (admin)', description: 'The response carries the key in `key` — the only time it is shown.' })
  @ApiBody({ type: ApiKeyInput })
  @ApiWriteDocs(ApiKeyView, 201)
  async createKey(@Auth() p: Principal, @Body() body: unknown) {
    const input = validateObject(ApiKeyInput, body);
    const userId = parseIdIri(input.user, 'users', 'user');
    const { key, record } = await this.tx.run(async (em) => {
      const user = await em.getRepository(User).findOneBy({ id: userId, tenantId: p.tenantId });
      // An IRI that points at nothing (or at another tenant's user) is a 400 naming the field, as for every relation.
      if (!user) throw badRequest(`The "user" field references ${iriOf('users', userId)}, which does not exist.`);
      const created = await createApiKey(em, user, input.name);
      created.record.user = user;
      return created;
    });
    return new ItemResult(serializeApiKey(record, key), { status: 201, location: iriOf('api-keys', record.id) });
  }

  @Delete('api-keys/:id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an API key (admin)', description: 'The key gets 401 from now on. Revoking twice is harmless.' })
  @ApiWriteDocs(null, 204)
  async revoke(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    const n = await this.tx.run((em) => em.getRepository(ApiKey).update({ id, tenantId: p.tenantId, revokedAt: IsNull() }, { revokedAt: new Date() }));
    if (!n.affected && !(await this.ds.getRepository(ApiKey).findOneBy({ id, tenantId: p.tenantId }))) throw notFound(`API key ${id} was not found.`);
    await this.auth.invalidate();
  }
}
