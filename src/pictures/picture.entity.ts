import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../auth/user.entity';
import { timestamp } from '../database/columns';

/** Read-only catalogue shared by all tenants, seeded by migration. */
@Entity('picture_types')
export class PictureType {
  @PrimaryColumn({ type: 'varchar', length: 64 }) code: string;
  @Column({ type: 'varchar', length: 150 }) label: string;
  /** Place in the gallery (typed pictures sort by it). */
  @Column({ type: 'int' }) position: number;
}

@Entity('trade_in_pictures')
export class TradeInPicture {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() tradeInId: number;
  @Column({ type: 'varchar', length: 2048 }) url: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) pictureTypeCode: string | null;
  @ManyToOne(() => PictureType, { nullable: true })
  @JoinColumn({ name: 'picture_type_code', referencedColumnName: 'code' })
  pictureType?: PictureType | null;
  @Column(timestamp()) createdAt: Date;
  @Column({ type: 'int', nullable: true }) createdById: number | null;
  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: User | null;
}
