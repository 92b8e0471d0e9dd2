import { Inject, Injectable } from '@nestjs/common';
import { Principal } from '../common/principal';
import { conflict, notFound, ValidationFailed } from '../common/errors';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { ItemResult, ListResult } from '../common/responses';
import { isoTimestamp } from '../common/serialize';
import { checkIfMatch, etagOf } from '../common/etag';
import { recordEvent } from '../database/outbox';
import { TxService } from '../database/tx.service';
import type { Request } from 'express';
import { generateSecret, sealSecret } from './secrets';
import { checkTarget, TargetRefused } from './ssrf';
import { RotateInput, WebhookInput, WebhookPatch } from './webhook.dto';
import { WebhookAttempt, WebhookDelivery, WebhookSubscription } from './webhook.entity';
import { WebhookConfig, WEBHOOK_CONFIG } from './webhooks.config';
import { WebhooksRepository } from './webhooks.repository';

/** Subscriptions per tenant; more is a mistake, not a use. */
const MAX_PER_TENANT = 20;

export const webhookIri = (id: number) => iriOf('webhooks', id);

export function serializeWebhook(s: WebhookSubscription, secret?: string) {
  const overlap = s.previousSecretUntil && s.previousSecretUntil.getTime() > Date.now() ? s.previousSecretUntil : null;
  return ldNode('Webhook', {
    id: s.id,
    iri: webhookIri(s.id),
    url: s.url,
    eventTypes: s.eventTypes,
    enabled: s.enabled,
    disabledReason: s.disabledReason,
    consecutiveFailures: s.consecutiveFailures,
    previousSecretUntil: isoTimestamp(overlap),
    description: s.description,
    createdAt: isoTimestamp(s.createdAt)!,
    updatedAt: isoTimestamp(s.updatedAt)!,
    ...(secret ? { secret } : {}),
  });
}

function serializeDelivery(d: WebhookDelivery, eventId: string, attempts: WebhookAttempt[]) {
  return ldNode('WebhookDelivery', {
    id: d.id,
    iri: `${webhookIri(d.subscriptionId)}/deliveries/${d.id}`,
    webhook: webhookIri(d.subscriptionId),
    eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.status === 'pending' ? isoTimestamp(d.nextAttemptAt) : null,
    createdAt: isoTimestamp(d.createdAt)!,
    deliveredAt: isoTimestamp(d.deliveredAt),
    attemptLog: attempts.map((a) => ({
      attemptedAt: isoTimestamp(a.attemptedAt)!,
      statusCode: a.statusCode,
      latencyMs: a.latencyMs,
      error: a.error,
      responseExcerpt: a.responseExcerpt,
    })),
  });
}

/** Webhook subscriptions (admin only, per tenant): rules; SQL in the repository, sending in delivery.worker.ts. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repo: WebhooksRepository,
    private readonly tx: TxService,
    @Inject(WEBHOOK_CONFIG) private readonly config: WebhookConfig,
  ) {}

  /** 422 on `url` unless it is an absolute http(s) URL whose host resolves only to allowed addresses. */
  private async checkUrl(raw: string): Promise<string> {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ValidationFailed([{ propertyPath: 'url', message: 'url must be an absolute http(s) URL.', code: 'invalid_format' }]);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValidationFailed([{ propertyPath: 'url', message: 'url must use http or https.', code: 'invalid_format' }]);
    if (url.username || url.password) throw new ValidationFailed([{ propertyPath: 'url', message: 'url must not carry credentials.', code: 'invalid_format' }]);
    try {
      await checkTarget(url, this.config.allowPrivateTargets);
    } catch (e) {
      if (!(e instanceof TargetRefused)) throw e;
      throw new ValidationFailed([{ propertyPath: 'url', message: `url is refused: ${e.message}. Webhooks go to public addresses only.`, code: 'forbidden' }]);
    }
    return url.toString();
  }

  private async load(tenantId: number, id: number): Promise<WebhookSubscription> {
    const s = await this.repo.find(this.repo.reader, tenantId, id);
    if (!s) throw notFound(`Webhook ${id} was not found.`);
    return s;
  }

  async list(p: Principal): Promise<ListResult> {
    return new ListResult(
      'Webhook',
      (await this.repo.list(p.tenantId)).map((s) => serializeWebhook(s)),
    );
  }

  async get(p: Principal, id: number): Promise<ItemResult> {
    const s = await this.load(p.tenantId, id);
    return new ItemResult(serializeWebhook(s), { etag: etagOf(s.version) });
  }

  async create(p: Principal, input: WebhookInput): Promise<ItemResult> {
    const url = await this.checkUrl(input.url);
    const secret = generateSecret();
    const saved = await this.tx.run(async (em) => {
      if ((await this.repo.countInTenant(em, p.tenantId)) >= MAX_PER_TENANT) throw conflict(`A tenant has at most ${MAX_PER_TENANT} webhooks; delete one first.`);
      const now = new Date();
      return this.repo.save(
        em,
        Object.assign(new WebhookSubscription(), {
          tenantId: p.tenantId,
          url,
          eventTypes: [...new Set(input.eventTypes ?? [])],
          enabled: input.enabled ?? true,
          disabledReason: null,
          secret: sealSecret(secret, this.config.secretKey),
          previousSecret: null,
          previousSecretUntil: null,
          consecutiveFailures: 0,
          description: input.description ?? null,
          createdAt: now,
          updatedAt: now,
          version: 1,
        }),
      );
    });
    return new ItemResult(serializeWebhook(saved, secret), { status: 201, location: webhookIri(saved.id), etag: etagOf(saved.version) });
  }

  async patch(req: Request, p: Principal, id: number, input: WebhookPatch): Promise<ItemResult> {
    const url = input.url === undefined ? undefined : await this.checkUrl(input.url);
    const saved = await this.tx.run(async (em) => {
      const s = await this.repo.find(em, p.tenantId, id, true);
      if (!s) throw notFound(`Webhook ${id} was not found.`);
      checkIfMatch(req, s.version);
      if (url !== undefined) s.url = url;
      if (input.eventTypes !== undefined) s.eventTypes = [...new Set(input.eventTypes)];
      if (input.description !== undefined) s.description = input.description;
      if (input.enabled !== undefined && input.enabled !== s.enabled) {
        s.enabled = input.enabled;
        s.disabledReason = null;
        s.consecutiveFailures = 0;
      }
      s.updatedAt = new Date();
      s.version += 1;
      return this.repo.save(em, s);
    });
    return new ItemResult(serializeWebhook(saved), { etag: etagOf(saved.version) });
  }

  async remove(req: Request, p: Principal, id: number): Promise<void> {
    await this.tx.run(async (em) => {
      const s = await this.repo.find(em, p.tenantId, id, true);
      if (!s) throw notFound(`Webhook ${id} was not found.`);
      checkIfMatch(req, s.version);
      await this.repo.remove(em, s);
    });
  }

  /** A new secret, shown once; the previous one keeps signing for the overlap (both signatures are sent). */
  async rotate(p: Principal, id: number, input: RotateInput): Promise<ItemResult> {
    const secret = generateSecret();
    const overlap = input.overlapSeconds ?? this.config.rotationOverlapSeconds;
    const saved = await this.tx.run(async (em) => {
      const s = await this.repo.find(em, p.tenantId, id, true);
      if (!s) throw notFound(`Webhook ${id} was not found.`);
      const now = new Date();
      s.previousSecret = overlap > 0 ? s.secret : null;
      s.previousSecretUntil = overlap > 0 ? new Date(now.getTime() + overlap * 1000) : null;
      s.secret = sealSecret(secret, this.config.secretKey);
      s.updatedAt = now;
      s.version += 1;
      return this.repo.save(em, s);
    });
    return new ItemResult(serializeWebhook(saved, secret), { etag: etagOf(saved.version) });
  }

  /** A `webhook.ping` event for this subscription only, delivered like every event. */
  async ping(p: Principal, id: number): Promise<ItemResult> {
    const eventId = await this.tx.run(async (em) => {
      const s = await this.repo.find(em, p.tenantId, id);
      if (!s) throw notFound(`Webhook ${id} was not found.`);
      if (!s.enabled) throw conflict(`Webhook ${id} is disabled; enable it (PATCH enabled: true) to ping it.`);
      return recordEvent(em, p.tenantId, 'webhook.ping', webhookIri(id), { webhook: webhookIri(id) });
    });
    return new ItemResult(ldNode('WebhookPing', { iri: `${webhookIri(id)}/deliveries`, eventId }), { status: 202 });
  }

  async deliveries(p: Principal, id: number): Promise<ListResult> {
    await this.load(p.tenantId, id);
    const rows = await this.repo.deliveries(p.tenantId, id);
    return new ListResult('WebhookDelivery', await this.render(rows));
  }

  private async render(rows: WebhookDelivery[]) {
    const attempts = await this.repo.attemptsOf(rows.map((d) => d.id));
    const events = await this.repo.eventIdsOf(rows.map((d) => d.eventId));
    return rows.map((d) => serializeDelivery(d, events.get(d.eventId) ?? '', attempts.get(d.id) ?? []));
  }

  async delivery(p: Principal, id: number, deliveryId: number): Promise<ItemResult> {
    const d = await this.repo.delivery(this.repo.reader, p.tenantId, id, deliveryId);
    if (!d) throw notFound(`Delivery ${deliveryId} of webhook ${id} was not found.`);
    return new ItemResult((await this.render([d]))[0]);
  }

  /** Sends the event again (same webhook-id): the delivery becomes pending and due now. */
  async redeliver(p: Principal, id: number, deliveryId: number): Promise<ItemResult> {
    const d = await this.tx.run(async (em) => {
      const found = await this.repo.delivery(em, p.tenantId, id, deliveryId, true);
      if (!found) throw notFound(`Delivery ${deliveryId} of webhook ${id} was not found.`);
      if (found.status === 'pending') throw conflict(`Delivery ${deliveryId} is still pending; it is sent when due.`);
      const now = new Date();
      await this.repo.redeliver(em, found, now);
      return Object.assign(found, { status: 'pending', nextAttemptAt: now, deliveredAt: null });
    });
    return new ItemResult((await this.render([d]))[0], { status: 202 });
  }
}
