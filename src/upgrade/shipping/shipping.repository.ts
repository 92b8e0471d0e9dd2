import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Customer } from '../../customers/customer.entity';
import { TenantRepository } from '../../database/tenant.repository';
import { TxService, insertRow } from '../../database/tx.service';
import { Tenant } from '../../tenants/tenant.entity';
import { ProgramAccount } from '../accounts/account.entity';
import { TradeInProgram } from '../submissions/trade-in-program.entity';
import { ProgramShipment, ProgramShipmentEvent, ShipmentDirection, ShippingSettings } from './shipment.entity';

/** The SQL of shipping: the tenant's configuration, shipments and their tracking events, and the customer's address. */
@Injectable()
export class ShippingRepository extends TenantRepository<ProgramShipment> {
  constructor(
    ds: DataSource,
    private readonly tx: TxService,
  ) {
    super(ds, ProgramShipment, 'Shipment');
  }

  settings(em: EntityManager, tenantId: number): Promise<ShippingSettings | null> {
    return em.getRepository(ShippingSettings).findOneBy({ tenantId });
  }

  async saveSettings(em: EntityManager, values: ShippingSettings): Promise<void> {
    await em.getRepository(ShippingSettings).save(em.getRepository(ShippingSettings).create(values));
  }

  tenant(em: EntityManager, tenantId: number): Promise<Tenant | null> {
    return em.getRepository(Tenant).findOneBy({ id: tenantId });
  }

  /**
   * The account (locked: an address change and a kit order of the same customer are serialised, so
   * an order never misses an address saved meanwhile) and the name on its customer record.
   */
  async lockAccount(em: EntityManager, tenantId: number, accountId: number): Promise<{ account: ProgramAccount; customer: Customer | null } | null> {
    const account = await em.getRepository(ProgramAccount).findOne({ where: { id: accountId, tenantId }, lock: this.tx.lockMode() });
    if (!account) return null;
    const customer = await em.getRepository(Customer).findOneBy({ id: account.customerId, tenantId });
    return { account, customer };
  }

  /** The account of a programme submission (null: not a submission of the tenant). */
  async accountOf(em: EntityManager, tenantId: number, tradeInId: number): Promise<number | null> {
    const p = await em.getRepository(TradeInProgram).findOne({ where: { tradeInId, tenantId }, select: { tradeInId: true, accountId: true } });
    return p?.accountId ?? null;
  }

  byTradeIn(em: EntityManager, tenantId: number, tradeInId: number, direction: ShipmentDirection, lock = false): Promise<ProgramShipment | null> {
    return em.getRepository(ProgramShipment).findOne({ where: { tenantId, tradeInId, direction }, lock: lock ? this.tx.lockMode() : undefined });
  }

  /** A shipment by id in the tenant, outside a transaction (which trade-in it belongs to never changes). */
  lock(em: EntityManager, id: number): Promise<ProgramShipment> {
    return em.getRepository(ProgramShipment).findOneOrFail({ where: { id }, lock: this.tx.lockMode() });
  }

  /** Shipments waiting for an address: of one account, or of the whole tenant (at most `limit`, oldest first); locked. */
  awaiting(em: EntityManager, tenantId: number, accountId: number | null, limit: number): Promise<ProgramShipment[]> {
    return em.getRepository(ProgramShipment).find({
      where: { tenantId, status: 'awaiting_address', ...(accountId === null ? {} : { accountId }) },
      order: { id: 'ASC' },
      take: limit,
      lock: this.tx.lockMode(),
    });
  }

  async insertShipment(em: EntityManager, values: Omit<ProgramShipment, 'id'>): Promise<ProgramShipment> {
    const id = await insertRow(em, ProgramShipment, values);
    return Object.assign(new ProgramShipment(), values, { id });
  }

  async saveShipment(em: EntityManager, s: ProgramShipment): Promise<void> {
    await em.getRepository(ProgramShipment).save(s);
  }

  /** The shipments of several trade-ins (kit order first) and their events (oldest first), two queries for the lot. */
  async ofTradeIns(em: EntityManager, tenantId: number, tradeInIds: number[]): Promise<{ shipments: ProgramShipment[]; events: Map<number, ProgramShipmentEvent[]> }> {
    if (!tradeInIds.length) return { shipments: [], events: new Map() };
    const shipments = await em.getRepository(ProgramShipment).find({ where: { tenantId, tradeInId: In(tradeInIds) }, order: { id: 'ASC' } });
    return {
      shipments,
      events: await this.eventsOf(
        em,
        shipments.map((s) => s.id),
      ),
    };
  }

  async eventsOf(em: EntityManager, shipmentIds: number[]): Promise<Map<number, ProgramShipmentEvent[]>> {
    const events = new Map<number, ProgramShipmentEvent[]>();
    if (!shipmentIds.length) return events;
    for (const e of await em.getRepository(ProgramShipmentEvent).find({ where: { shipmentId: In(shipmentIds) }, order: { id: 'ASC' } })) {
      events.set(e.shipmentId, [...(events.get(e.shipmentId) ?? []), e]);
    }
    return events;
  }

  /** Whether the update was recorded already: a locking (current) read, not the transaction's snapshot. */
  async eventExists(em: EntityManager, shipmentId: number, eventId: string): Promise<boolean> {
    return !!(await em.getRepository(ProgramShipmentEvent).findOne({ where: { shipmentId, eventId }, select: { id: true }, lock: this.tx.lockMode() }));
  }

  async insertEvent(em: EntityManager, values: Omit<ProgramShipmentEvent, 'id'>): Promise<void> {
    await insertRow(em, ProgramShipmentEvent, values);
  }
}
