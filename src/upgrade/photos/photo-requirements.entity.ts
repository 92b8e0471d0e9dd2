import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonTransformer, timestamp } from '../../database/columns';

/**
 * What a tenant's submissions need in photos before they can be submitted: the angles (picture
 * type codes, see /api/v3/picture-types) and how many photos at least. No row: the default
 * (DEFAULT_PHOTO_REQUIREMENTS).
 */
@Entity('program_photo_requirements')
export class PhotoRequirements {
  @PrimaryColumn() tenantId: number;
  @Column({ type: 'int' }) minCount: number;
  @Column({ type: 'text', transformer: jsonTransformer }) requiredAngles: string[];
  @Column(timestamp()) updatedAt: Date;
  @Column({ type: 'int', nullable: true }) updatedById: number | null;
}

/** Unset: one photo, any angle. A submission without a photo is not submitted (issue 17). */
export const DEFAULT_PHOTO_REQUIREMENTS = { minCount: 1, requiredAngles: [] as string[] };
