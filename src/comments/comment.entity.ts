import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../auth/user.entity';
import { timestamp } from '../database/columns';

@Entity('trade_in_comments')
export class TradeInComment {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column() tradeInId: number;
  @Column({ type: 'text' }) comment: string;
  @Column(timestamp()) createdAt: Date;
  @Column({ type: 'int', nullable: true }) createdById: number | null;
  @ManyToOne(() => User, { nullable: true })
  @JoinColumn({ name: 'created_by_id' })
  createdBy?: User | null;
}
