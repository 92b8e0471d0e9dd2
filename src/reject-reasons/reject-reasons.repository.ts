import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { RejectReason } from './reject-reason.entity';

/** The reject-reason catalogue (shared by all tenants). */
@Injectable()
export class RejectReasonsRepository {
  constructor(@InjectRepository(RejectReason) private readonly repo: Repository<RejectReason>) {}

  all(): Promise<RejectReason[]> {
    return this.repo.find({ order: { position: 'ASC' } });
  }

  byCode(code: string): Promise<RejectReason | null> {
    return this.repo.findOneBy({ code });
  }

  /** Inside a caller's transaction (the trade-in writes that take a reject reason). */
  exists(em: EntityManager, code: string): Promise<boolean> {
    return em.getRepository(RejectReason).existsBy({ code });
  }
}
