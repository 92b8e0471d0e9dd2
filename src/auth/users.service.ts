import { Injectable } from '@nestjs/common';
import { CollectionSpec } from '../common/collection';
import type { CollectionQuery } from '../common/collection.decorator';
import { badRequest, conflict, ValidationFailed } from '../common/errors';
import { iriOf, parseIdIri } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { Principal } from '../common/principal';
import { CollectionResult, ItemResult } from '../common/responses';
import { isoTimestamp } from '../common/serialize';
import { paginate } from '../database/paginate';
import { TxService } from '../database/tx.service';
import { ApiKey } from './api-key.entity';
import { AuthService } from './auth.service';
import { createApiKey, createUser } from './keys';
import { User } from './user.entity';
import { ApiKeyInput, UserInput, UserPatch } from './users.dto';
import { UsersRepository } from './users.repository';

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

export const USER_SPEC: CollectionSpec = {
  order: { id: 'u.id', name: 'u.name', email: 'u.email' },
  exact: { role: { column: 'u.role', values: ['admin', 'manager', 'readonly'] }, email: { column: 'u.email' } },
  partial: { name: 'u.name' },
  defaultOrder: [['u.id', 'ASC']],
};

/** No filters and no order parameters: oldest first. */
export const API_KEY_SPEC: CollectionSpec = { order: {}, defaultOrder: [['k.id', 'ASC']] };

/** Users and API keys of the caller's tenant: the rules (the SQL is UsersRepository's). */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tx: TxService,
    private readonly auth: AuthService,
  ) {}

  async get(p: Principal, id: number): Promise<ItemResult> {
    return new ItemResult(serializeUser(await this.users.findInTenantOrFail(this.users.manager, p.tenantId, id)));
  }

  list(p: Principal, q: CollectionQuery): Promise<CollectionResult> {
    return paginate(this.users.usersQuery(p.tenantId), q, 'User', serializeUser);
  }

  async create(p: Principal, input: UserInput): Promise<ItemResult> {
    const user = await this.tx.run(async (em) => {
      if (await this.users.findByEmail(em, p.tenantId, input.email)) throw conflict(`A user with e-mail ${input.email} already exists.`);
      return createUser(em, p.tenantId, input.email, input.name, input.role);
    });
    return new ItemResult(serializeUser(user), { status: 201, location: iriOf('users', user.id) });
  }

  async patch(p: Principal, id: number, input: UserPatch): Promise<ItemResult> {
    if (id === p.userId && (input.disabled || (input.role && input.role !== 'admin'))) {
      throw new ValidationFailed([{ propertyPath: input.disabled ? 'disabled' : 'role', message: 'You cannot demote or disable yourself.', code: 'forbidden' }]);
    }
    const user = await this.tx.run(async (em) => {
      const u = await this.users.findInTenantOrFail(em, p.tenantId, id);
      if (input.name !== undefined) u.name = input.name;
      if (input.role !== undefined) u.role = input.role;
      if (input.disabled !== undefined) u.disabledAt = input.disabled ? (u.disabledAt ?? new Date()) : null;
      u.updatedAt = new Date();
      return this.users.saveUser(em, u);
    });
    await this.auth.invalidate();
    return new ItemResult(serializeUser(user));
  }

  keys(p: Principal, q: CollectionQuery): Promise<CollectionResult> {
    return paginate(this.users.keysQuery(p.tenantId), q, 'ApiKey', (k) => serializeApiKey(k));
  }

  async createKey(p: Principal, input: ApiKeyInput): Promise<ItemResult> {
    const userId = parseIdIri(input.user, 'users', 'user');
    const { key, record } = await this.tx.run(async (em) => {
      const user = await this.users.findInTenant(em, p.tenantId, userId);
      // An IRI that points at nothing (or at another tenant's user) is a 400 naming the field, as for every relation.
      if (!user) throw badRequest(`The "user" field references ${iriOf('users', userId)}, which does not exist.`);
      const created = await createApiKey(em, user, input.name);
      created.record.user = user;
      return created;
    });
    return new ItemResult(serializeApiKey(record, key), { status: 201, location: iriOf('api-keys', record.id) });
  }

  async revoke(p: Principal, id: number): Promise<void> {
    const n = await this.tx.run((em) => this.users.revokeKey(em, p.tenantId, id));
    if (!n) await this.users.keys.existsInTenantOrFail(this.users.manager, p.tenantId, id);
    await this.auth.invalidate();
  }
}
