import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/principal';
import { checkIfMatchTag, hasIfMatch, listTagOf } from '../common/etag';
import { iriOf } from '../common/iri';
import { ldNode } from '../common/jsonld';
import { ItemResult, ListResult } from '../common/responses';
import { isoTimestamp, userRef } from '../common/serialize';
import { recordEvent } from '../database/outbox';
import { TxService } from '../database/tx.service';
import { TradeInsService } from '../trade-ins/trade-ins.service';
import { CommentInput } from './comment.dto';
import { TradeInComment } from './comment.entity';
import { CommentsRepository } from './comments.repository';

export const MAX_COMMENTS_PER_REQUEST = 100;

const serializeComment = (c: TradeInComment) =>
  ldNode('Comment', {
    id: c.id,
    iri: `${iriOf('trade-ins', c.tradeInId)}/comments/${c.id}`,
    comment: c.comment,
    createdAt: isoTimestamp(c.createdAt),
    createdBy: userRef(c.createdBy),
  });

/** Comments of a trade-in: POST appends, PATCH replaces all. They stay writable after done. */
@Injectable()
export class CommentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly tx: TxService,
    private readonly tradeIns: TradeInsService,
    private readonly comments: CommentsRepository,
  ) {}

  private all(em: EntityManager, tradeInId: number) {
    return this.comments.all(tradeInId, em);
  }

  private render(rows: TradeInComment[]): ListResult {
    const members = rows.map(serializeComment);
    return new ListResult('Comment', members, listTagOf(members));
  }

  async list(p: Principal, tradeInId: number): Promise<ListResult> {
    await this.tradeIns.assertExists(this.ds.manager, p.tenantId, tradeInId);
    return this.render(await this.all(this.ds.manager, tradeInId));
  }

  async get(p: Principal, tradeInId: number, id: number): Promise<ItemResult> {
    await this.tradeIns.assertExists(this.ds.manager, p.tenantId, tradeInId);
    const c = await this.comments.findInTenantOrFail(this.ds.manager, p.tenantId, id, { where: { tradeInId }, relations: { createdBy: true }, of: `trade-in ${tradeInId}` });
    return new ItemResult(serializeComment(c));
  }

  /** `items`: the array body, validated at the edge (ArrayBody). */
  async write(req: Request, p: Principal, tradeInId: number, items: CommentInput[], replace: boolean): Promise<ListResult> {
    const rows = await this.tx.run(async (em) => {
      await this.tradeIns.lockRow(em, p.tenantId, tradeInId);
      // `If-Match` against the comments as they are under the trade-in's lock.
      if (hasIfMatch(req)) checkIfMatchTag(req, this.render(await this.all(em, tradeInId)).etag!);
      if (replace) await this.comments.removeAll(em, tradeInId);
      const now = new Date();
      await this.comments.insert(
        em,
        items.map((i) => ({ tenantId: p.tenantId, tradeInId, comment: i.comment, createdAt: now, createdById: p.userId })),
      );
      const all = await this.all(em, tradeInId);
      await recordEvent(em, p.tenantId, 'trade_in.comments_changed', iriOf('trade-ins', tradeInId), { tradeIn: iriOf('trade-ins', tradeInId), comments: this.render(all).members }, tradeInId);
      return all;
    });
    return this.render(rows);
  }
}
