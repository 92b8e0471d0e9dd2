import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { TenantRepository } from '../../database/tenant.repository';
import { ConditionModifier, Grade, ProgramValuation } from './valuation.entity';

/** The SQL of valuations and condition modifiers; one valuation by id is `findInTenantOrFail` (`Valuation 3 was not found.`). */
@Injectable()
export class ValuationsRepository extends TenantRepository<ProgramValuation> {
  constructor(ds: DataSource) {
    super(ds, ProgramValuation, 'Valuation');
  }

  modifierRows(em: EntityManager, tenantId: number): Promise<ConditionModifier[]> {
    return em.getRepository(ConditionModifier).findBy({ tenantId });
  }

  /** Replaces one grade's modifier. */
  async setModifier(em: EntityManager, tenantId: number, grade: Grade, percent: number): Promise<void> {
    const repo = em.getRepository(ConditionModifier);
    await repo.delete({ tenantId, grade });
    await repo.insert({ tenantId, grade, percent });
  }

  byProduct(em: EntityManager, tenantId: number, productId: string): Promise<ProgramValuation | null> {
    return em.getRepository(ProgramValuation).findOneBy({ tenantId, productId });
  }

  /** The narrowest make/model/year-range match (case-insensitive), the newest among equals. */
  narrowest(em: EntityManager, tenantId: number, make: string, model: string, year: number): Promise<ProgramValuation | null> {
    return em
      .getRepository(ProgramValuation)
      .createQueryBuilder('v')
      .where('v.tenantId = :tenantId', { tenantId })
      .andWhere('LOWER(v.make) = :make AND LOWER(v.model) = :model', { make: make.toLowerCase(), model: model.toLowerCase() })
      .andWhere(':year BETWEEN v.yearFrom AND v.yearTo', { year })
      .orderBy('v.yearTo - v.yearFrom', 'ASC')
      .addOrderBy('v.id', 'DESC')
      .getOne();
  }

  /** The tenant's valuations, alias `v`, for the collection filters. */
  listQuery(tenantId: number): SelectQueryBuilder<ProgramValuation> {
    return this.ds.getRepository(ProgramValuation).createQueryBuilder('v').where('v.tenantId = :tenantId', { tenantId });
  }

  save(em: EntityManager, v: Partial<ProgramValuation>): Promise<ProgramValuation> {
    return em.getRepository(ProgramValuation).save(em.getRepository(ProgramValuation).create(v));
  }

  async delete(em: EntityManager, tenantId: number, id: number): Promise<void> {
    await em.getRepository(ProgramValuation).delete({ id, tenantId });
  }
}
