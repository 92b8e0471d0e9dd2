import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { decimalTransformer, jsonTransformer, money, timestamp } from '../database/columns';
import { SearchCopyOf } from '../database/search-columns';
import { Customer } from '../customers/customer.entity';
import { Location } from '../locations/location.entity';
import { User } from '../auth/user.entity';

/** The core's statuses; an add-on adds its own through the TRADE_IN_STATUSES point (trade-in.extensions.ts). */
export const CORE_TRADE_IN_STATUSES = ['not_done', 'ready_for_appraisal', 'done', 'sent_to_customer', 'purchase_agreement', 'no_deal'] as const;
export type CoreTradeInStatus = (typeof CORE_TRADE_IN_STATUSES)[number];

/**
 * The statuses add-ons add, as keys, for the type only: an add-on that registers statuses also
 * augments this interface (`declare module '…/trade-ins/trade-in.entity' { interface AddedTradeInStatuses
 * { shipped: true } }`, see upgrade/program-statuses.ts), so TradeInStatus names them. Empty in the core:
 * the core's code holds for any set of added statuses.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AddedTradeInStatuses {}
export type TradeInStatus = CoreTradeInStatus | keyof AddedTradeInStatuses;

export interface Accident {
  date: string | null;
  description: string | null;
  repairCost: number | null;
}

const optionalFk = { nullable: true, onDelete: 'RESTRICT' as const };

/**
 * The trade-in aggregate. `vehicleModel`, `condition` and `debtInfo` are stored flat
 * (vm_*, cond_*, debt_*) so every filter and sort field is an indexable column.
 */
@Entity('trade_ins')
export class TradeIn {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 32 }) status: TradeInStatus;
  @Column({ type: 'varchar', length: 255, nullable: true }) specificationTitle: string | null;
  @Column({ type: 'text', nullable: true }) note: string | null;

  @Column({ type: 'int', nullable: true }) customerId: number | null;
  @ManyToOne(() => Customer, optionalFk)
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer | null;

  @Column({ type: 'int', nullable: true }) dealershipId: number | null;
  @ManyToOne(() => Location, optionalFk)
  @JoinColumn({ name: 'dealership_id' })
  dealership?: Location | null;

  @Column(money()) customerAskingPrice: number | null;
  @Column(money()) purchasePrice: number | null;
  @Column(money()) marketPrice: number | null;
  @Column(money()) marketValueOnSalesDay: number | null;
  @Column({ type: 'decimal', precision: 5, scale: 2, nullable: true, transformer: decimalTransformer }) margin: number | null;
  @Column(money()) refurbishCostEstimate: number | null;
  @Column({ type: 'date', nullable: true }) lastServiceDate: string | null;
  @Column({ type: 'int', nullable: true }) daysToSale: number | null;
  @Column({ type: 'decimal', precision: 7, scale: 4, nullable: true, transformer: decimalTransformer })
  dailyDepreciationRate: number | null;
  @Column({ type: 'boolean', default: false }) priceExVat: boolean;
  @Column({ type: 'boolean', default: false }) isVatExempt: boolean;
  @Column(money()) debtAmount: number | null;
  @Column({ type: 'varchar', length: 150, nullable: true }) debtBank: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) rejectReason: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) rejectReasonMetaText: string | null;

  // vehicleModel
  @Column({ type: 'varchar', length: 100, nullable: true }) vmMake: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) vmModel: string | null;
  @Column({ type: 'varchar', length: 17, nullable: true }) vmVinCode: string | null;
  @Column({ type: 'varchar', length: 60, nullable: true }) vmColor: string | null;
  @Column({ type: 'int', nullable: true }) vmMileage: number | null;
  @Column({ type: 'varchar', length: 60, nullable: true }) vmGearbox: string | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) vmRegNr: string | null;
  @Column({ type: 'varchar', length: 10, default: 'PC' }) vmVehicleType: string;
  @Column({ type: 'varchar', length: 60, nullable: true }) vmBodyType: string | null;
  @Column({ type: 'int', nullable: true }) vmCylinderCapacityCm3: number | null;
  @Column({ type: 'int', nullable: true }) vmMaxPowerKw: number | null;
  @Column({ type: 'date', nullable: true }) vmFirstRegistrationDate: string | null;
  @Column({ type: 'varchar', length: 60, nullable: true }) vmFuel: string | null;
  @Column({ type: 'varchar', length: 60, nullable: true }) vmDrivetrainType: string | null;
  @Column({ type: 'varchar', length: 60, nullable: true }) vmTransmissionType: string | null;
  @Column({ type: 'varchar', length: 60, nullable: true }) vmTransmissionCode: string | null;
  @Column({ type: 'text', nullable: true, transformer: jsonTransformer }) vmEquipment: string[] | null;
  @Column({ type: 'text', nullable: true, transformer: jsonTransformer }) vmAccidents: Accident[] | null;

  // condition flags: true | false | null (unknown)
  @Column({ type: 'boolean', nullable: true }) condFullService: boolean | null;
  @Column({ type: 'boolean', nullable: true }) condTiresMoreThan6mm: boolean | null;
  @Column({ type: 'boolean', nullable: true }) condAcWorks: boolean | null;
  @Column({ type: 'boolean', nullable: true }) condAnimalsInCar: boolean | null;
  @Column({ type: 'boolean', nullable: true }) condMajorAccident: boolean | null;
  @Column({ type: 'boolean', nullable: true }) condMechanicalTested: boolean | null;
  @Column({ type: 'boolean', nullable: true }) condOriginalPaint: boolean | null;
  @Column({ type: 'boolean', nullable: true }) condSmokedInCar: boolean | null;

  @Column(timestamp()) createdAt: Date;
  @Column({ type: 'int', nullable: true }) createdById: number | null;
  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: User | null;
  @Column(timestamp()) updatedAt: Date;
  @Column({ type: 'int', nullable: true }) updatedById: number | null;
  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'updated_by_id' })
  updatedBy?: User | null;
  @Column(timestamp({ nullable: true })) reportSignedAt: Date | null;
  @Column({ type: 'int', nullable: true }) reportSignedById: number | null;
  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'report_signed_by_id' })
  reportSignedBy?: User | null;
  @Column({ type: 'int', nullable: true }) doneById: number | null;
  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'done_by_id' })
  doneBy?: User | null;
  @Column({ type: 'int', default: 1 }) version: number;

  // Folded copies (case and accents) that the partial filters and text orders read; kept in step on write.
  @SearchCopyOf('vmMake') @Column({ type: 'varchar', length: 100, nullable: true }) vmMakeSearch: string | null;
  @SearchCopyOf('vmModel') @Column({ type: 'varchar', length: 100, nullable: true }) vmModelSearch: string | null;
  @SearchCopyOf('note') @Column({ type: 'text', nullable: true }) noteSearch: string | null;
}

export const ACTOR_KINDS = ['user', 'customer', 'system'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

@Entity('trade_in_status_changes')
export class TradeInStatusChange {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() tradeInId: number;
  @Column({ type: 'varchar', length: 32, nullable: true }) fromStatus: TradeInStatus | null;
  @Column({ type: 'varchar', length: 32 }) toStatus: TradeInStatus;
  @Column({ type: 'int', nullable: true }) changedById: number | null;
  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'changed_by_id' })
  changedBy?: User | null;
  @Column(timestamp()) changedAt: Date;
  @Column({ type: 'varchar', length: 64, nullable: true }) rejectReason: string | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) rejectReasonMetaText: string | null;
  /** Who made the move: a staff user (changedById), a customer (changedByCustomerId) or a system job (actorJob); null on rows the migration could not attribute. */
  @Column({ type: 'varchar', length: 16, nullable: true }) actorKind: ActorKind | null;
  /** The dealer-side customer record of the programme account that made the move (no foreign key: the audit keeps the id). */
  @Column({ type: 'int', nullable: true }) changedByCustomerId: number | null;
  /** The job that made the move (`programme.expire-offers`, ...). */
  @Column({ type: 'varchar', length: 64, nullable: true }) actorJob: string | null;
}
