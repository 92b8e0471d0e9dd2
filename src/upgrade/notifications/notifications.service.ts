import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { notFound } from '../../common/errors';
import { ItemResult, ListResult } from '../../common/responses';
import { isoTimestamp } from '../../common/serialize';
import { TxService } from '../../database/tx.service';
import { Tenant } from '../../tenants/tenant.entity';
import { submissionId } from '../program.mapping';
import { NotificationTemplate } from './notification.entity';
import { NewNotification, NotificationsRepository } from './notifications.repository';
import { TemplateInput } from './notifications.dto';
import { checkTemplate, DEFAULT_TEMPLATES, isNotificationKind, NOTIFICATION_KINDS, NotificationKind } from './templates';

const LOG_SIZE = 200;

/** The tenant called on (a ProgramGuard Caller; the guard is not imported: it imports the accounts service, which uses this one). */
interface TenantCaller {
  tenant: Tenant;
}

/** The programme admin's side of customer e-mail: the tenant's templates and the log of what was sent. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly repo: NotificationsRepository,
    private readonly tx: TxService,
  ) {}

  /** A notification made in the caller's transaction (a password reset's mail): sent by the job runner after the commit. */
  async enqueue(em: EntityManager, n: NewNotification): Promise<void> {
    await this.repo.insert(em, [n], new Date());
  }

  async templates(caller: TenantCaller): Promise<ListResult> {
    const own = new Map((await this.repo.templates(caller.tenant.id)).map((t) => [t.kind, t]));
    return new ListResult(
      'NotificationTemplate',
      NOTIFICATION_KINDS.map((kind) => view(kind, own.get(kind) ?? null)),
    );
  }

  async putTemplate(caller: TenantCaller, kind: string, input: TemplateInput): Promise<ItemResult> {
    const k = knownKind(kind);
    checkTemplate(input);
    await this.tx.run(async (em) => {
      const existing = await this.repo.lockTemplate(em, caller.tenant.id, k);
      await this.repo.saveTemplate(em, existing, { tenantId: caller.tenant.id, kind: k, subject: input.subject, body: input.body, updatedAt: new Date() });
    });
    return new ItemResult(view(k, await this.repo.template(caller.tenant.id, k)));
  }

  async resetTemplate(caller: TenantCaller, kind: string): Promise<void> {
    await this.repo.deleteTemplate(caller.tenant.id, knownKind(kind));
  }

  /** The newest LOG_SIZE notifications of the tenant, newest first. */
  async log(caller: TenantCaller): Promise<ListResult> {
    const rows = await this.repo.newest(caller.tenant.id, LOG_SIZE);
    const members = rows.map((n) => ({
      id: n.id,
      kind: n.kind,
      recipient: n.recipient,
      submission_id: n.tradeInId === null ? null : submissionId(n.tradeInId),
      status: n.status,
      attempts: n.attempts,
      last_error: n.lastError,
      subject: n.subject,
      created_at: isoTimestamp(n.createdAt),
      sent_at: isoTimestamp(n.sentAt),
      next_attempt_at: n.status === 'pending' ? isoTimestamp(n.nextAttemptAt) : null,
    }));
    return new ListResult('ProgramNotification', members);
  }
}

function knownKind(kind: string): NotificationKind {
  if (!isNotificationKind(kind)) throw notFound(`No e-mail template is called ${kind.slice(0, 64)}; the templates are ${NOTIFICATION_KINDS.join(', ')}.`);
  return kind;
}

function view(kind: NotificationKind, own: NotificationTemplate | null) {
  const t = own ?? DEFAULT_TEMPLATES[kind];
  return { kind, subject: t.subject, body: t.body, customized: !!own, updated_at: own ? isoTimestamp(own.updatedAt) : null };
}
