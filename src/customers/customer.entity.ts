import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timestamp } from '../database/columns';
import { SearchCopyOf } from '../database/search-columns';

@Entity('customers')
export class Customer {
  @PrimaryGeneratedColumn() id: number;
  @Column() tenantId: number;
  @Column({ type: 'varchar', length: 100, nullable: true }) firstName: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) lastName: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) companyName: string | null;
  @Column({ type: 'varchar', length: 190, nullable: true }) email: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) phone: string | null;
  @Column({ type: 'varchar', length: 40, nullable: true }) personalCode: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) address: string | null;
  @Column(timestamp()) createdAt: Date;
  @Column(timestamp()) updatedAt: Date;
  @Column({ type: 'int', default: 1 }) version: number;

  // Folded copies (case and accents) that the partial filters and name orders read; kept in step on write.
  @SearchCopyOf('firstName') @Column({ type: 'varchar', length: 100, nullable: true, select: false }) firstNameSearch?: string | null;
  @SearchCopyOf('lastName') @Column({ type: 'varchar', length: 100, nullable: true, select: false }) lastNameSearch?: string | null;
  @SearchCopyOf('companyName') @Column({ type: 'varchar', length: 200, nullable: true, select: false }) companyNameSearch?: string | null;
}
