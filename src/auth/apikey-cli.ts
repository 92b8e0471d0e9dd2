import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DataSource, IsNull } from 'typeorm';
import { validateObject } from '../common/validation';
import { loadConfig } from '../config';
import { createDataSource } from '../app.entities';
import { publishOnce } from '../shared-state/redis-invalidation.bus';
import { API_KEYS_CHANGED } from './auth.service';
import { Tenant } from '../tenants/tenant.entity';
import { ApiKey } from './api-key.entity';
import { createApiKey, createTenant, createUser } from './keys';
import { Passwords } from './passwords';
import { StaffPasswordInput } from './staff-sessions.dto';
import { StaffSessionsRepository } from './staff-sessions.repository';
import { Role, ROLES, User } from './user.entity';

const USAGE = `Manage API keys (uses DATABASE_URL / SQLITE_PATH like the server).

  npm run apikey -- create --email <email> [--tenant <slug>] [--role admin|manager|readonly] [--name <user name>] [--label <key label>] [--new-tenant <tenant name>]
      Creates a key for the user (the user is created with --role if it does not exist; --new-tenant creates the tenant).
      Prints the key once.
  npm run apikey -- list [--tenant <slug>]
  npm run apikey -- revoke <key id | key prefix>
  npm run apikey -- password --email <email> [--tenant <slug>] [--stdin]
      Sets the user's password for the admin (/admin), hashed with argon2id as the server does, and ends
      the user's admin sessions. Without --stdin a random password is generated and printed once; with
      --stdin it is read from standard input (12 to 200 characters; never put it on the command line).
`;

/** What the password command needs besides the database: the server's hashing, and standard input. */
export interface CliIo {
  passwords: Passwords;
  stdin: () => Promise<string>;
}

/** Standard input, whole, without its final line break (`echo … |` and here-strings add one). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * The CLI's logic, on an initialised DataSource; `write` receives the output. Exported for tests.
 * `announce` tells running servers that keys changed (with REDIS_URL); it answers whether it could.
 */
export async function runApiKeyCli(argv: string[], ds: DataSource, write: (s: string) => void, announce?: () => Promise<boolean>, io?: CliIo): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      email: { type: 'string' },
      role: { type: 'string', default: 'manager' },
      name: { type: 'string' },
      label: { type: 'string', default: 'cli key' },
      'new-tenant': { type: 'string' },
      stdin: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, arg] = positionals;
  if (values.help || !command) {
    write(USAGE);
    return 0;
  }
  {
    if (command === 'create') {
      if (!values.email) throw new Error('--email is required');
      const role = values.role as Role;
      if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
      const slug = values.tenant ?? 'default';
      const out = await ds.transaction(async (em) => {
        let tenant = await em.getRepository(Tenant).findOneBy({ slug });
        if (!tenant && values['new-tenant']) tenant = await createTenant(em, values['new-tenant'], slug);
        if (!tenant) throw new Error(`No tenant with slug "${slug}" (add --new-tenant "<name>" to create it)`);
        let user = await em.getRepository(User).findOneBy({ tenantId: tenant.id, email: values.email! });
        if (!user) user = await createUser(em, tenant.id, values.email!, values.name ?? values.email!, role);
        const { key, record } = await createApiKey(em, user, values.label);
        return { key, record, user, tenant };
      });
      write(
        `Created key #${out.record.id} (${out.record.prefix}…) for ${out.user.email} [${out.user.role}] in tenant "${out.tenant.slug}".\n` + `Store it now — it is not shown again:\n\n  ${out.key}\n`,
      );
    } else if (command === 'list') {
      const qb = ds.getRepository(ApiKey).createQueryBuilder('k').innerJoinAndSelect('k.user', 'u').orderBy('k.id');
      if (values.tenant) qb.innerJoin(Tenant, 't', 't.id = k.tenantId').andWhere('t.slug = :slug', { slug: values.tenant });
      const rows = await qb.getMany();
      for (const k of rows) {
        write(
          `#${k.id}\t${k.prefix}…\t${k.user?.email}\t${k.user?.role}\t${k.name}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active'}\tlast used ${k.lastUsedAt?.toISOString() ?? 'never'}\n`,
        );
      }
      if (!rows.length) write('No keys.\n');
    } else if (command === 'revoke') {
      if (!arg) throw new Error('revoke needs a key id or prefix');
      const where = /^\d+$/.test(arg) ? { id: Number(arg), revokedAt: IsNull() } : { prefix: arg.replace(/…$/, ''), revokedAt: IsNull() };
      const res = await ds.getRepository(ApiKey).update(where, { revokedAt: new Date() });
      if (!res.affected) throw new Error(`No active key matches "${arg}"`);
      const told = announce ? await announce() : false;
      write(
        `Revoked ${res.affected} key(s). ` +
          (told
            ? 'Running servers stop accepting it at once.\n'
            : `Running servers stop accepting it within API_KEY_CACHE_SECONDS${announce ? ' (Redis could not be reached to tell them at once)' : ''}.\n`),
      );
    } else if (command === 'password') {
      if (!values.email) throw new Error('--email is required');
      if (!io) throw new Error('password needs the password hashing of the server');
      const slug = values.tenant ?? 'default';
      const tenant = await ds.getRepository(Tenant).findOneBy({ slug });
      if (!tenant) throw new Error(`No tenant with slug "${slug}"`);
      const user = await ds.getRepository(User).findOneBy({ tenantId: tenant.id, email: values.email });
      if (!user) throw new Error(`No user ${values.email} in tenant "${slug}" (create one with: create --email … --role …)`);
      const generated = !values.stdin;
      const password = generated ? randomBytes(18).toString('base64url') : await io.stdin();
      // The same rules as PUT /api/v3/users/{id}/password; a ValidationFailed names them.
      validateObject(StaffPasswordInput, { password });
      // Hashed before the transaction (as the server does): no connection waits on argon2.
      const hash = await io.passwords.hash(password);
      const sessions = new StaffSessionsRepository(ds);
      await ds.transaction(async (em) => {
        await sessions.setPassword(em, user.id, hash);
        await sessions.revokeAll(em, user.id);
      });
      write(
        `Set the admin password of ${user.email} [${user.role}] in tenant "${tenant.slug}"; their admin sessions have ended.\n` +
          (generated ? `Store it now — it is not shown again:\n\n  ${password}\n` : ''),
      );
    } else {
      write(USAGE);
      return 2;
    }
  }
  return 0;
}

async function main() {
  const config = loadConfig();
  const ds = createDataSource(config);
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const { redisUrl, redisPrefix, redisCommandTimeoutMs } = config;
    const announce = redisUrl ? () => publishOnce({ url: redisUrl, prefix: redisPrefix, commandTimeoutMs: redisCommandTimeoutMs }, API_KEYS_CHANGED) : undefined;
    process.exitCode = await runApiKeyCli(process.argv.slice(2), ds, (s) => process.stdout.write(s), announce, { passwords: new Passwords(config), stdin: readStdin });
  } finally {
    await ds.destroy();
  }
}

if (require.main === module)
  main().catch((e) => {
    process.stderr.write(`apikey: ${e instanceof Error ? e.message : e}\n`);
    process.exit(1);
  });
