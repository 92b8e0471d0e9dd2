import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../../database/columns';

/** An uploaded photo. The bytes live in the PhotoStorage under `storageKey`. */
@Entity('program_photos')
export class ProgramPhoto {
  @PrimaryGeneratedColumn() id: number;
  /** Public id, `photo_` + random characters. */
  @Column({ type: 'varchar', length: 40 }) publicId: string;
  @Column() tenantId: number;
  @Column() accountId: number;
  @Column({ type: 'int', nullable: true }) tradeInId: number | null;
  @Column({ type: 'int', nullable: true }) pictureId: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) pictureTypeCode: string | null;
  @Column({ type: 'varchar', length: 200 }) storageKey: string;
  @Column({ type: 'varchar', length: 32 }) contentType: string;
  @Column({ type: 'int' }) size: number;
  @Column(timestamp()) createdAt: Date;
}
