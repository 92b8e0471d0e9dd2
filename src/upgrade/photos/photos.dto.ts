import { ProgramPhoto } from './photo.entity';
import { submissionId } from '../program.mapping';
import { isoTimestamp } from '../../common/serialize';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PhotoView {
  @ApiProperty({ description: 'Photo id, used in submissions.', example: 'photo_abc' }) id: string;
  @ApiProperty({
    description: 'Absolute URL of the image (owner with Bearer token, staff with X-API-Key). Also the trade-in picture URL.',
    example: 'https://dealer.example/api/default/photos/photo_abc',
  })
  url: string;
  @ApiProperty({ description: 'Detected from the content: image/jpeg, image/png or image/webp.', example: 'image/jpeg' }) content_type: string;
  @ApiProperty({ description: 'Size in bytes.', example: 245112 }) size: number;
  @ApiPropertyOptional({ description: 'Picture type code (angle), if given at upload.', example: 'exterior_front', nullable: true }) picture_type: string | null;
  @ApiPropertyOptional({ description: 'The submission the photo is attached to.', example: 'sub_123', nullable: true }) submission_id: string | null;
  @ApiProperty({ description: 'Upload time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
}

export class PhotoUploadInput {
  @ApiProperty({ description: 'The image: JPEG, PNG or WebP (checked by content), at most PHOTO_MAX_BYTES (10 MB by default).', type: 'string', format: 'binary', example: '(binary)' })
  photo: unknown;
  @ApiPropertyOptional({ description: 'Angle, as a picture type code (see /api/v3/picture-types).', example: 'exterior_front' })
  picture_type?: string;
}

/** A photo as the programme shows it; `url` is its address (also the trade-in picture URL). */
export function renderPhoto(url: string, ph: ProgramPhoto) {
  return {
    id: ph.publicId,
    url,
    content_type: ph.contentType,
    size: ph.size,
    picture_type: ph.pictureTypeCode,
    submission_id: ph.tradeInId ? submissionId(ph.tradeInId) : null,
    created_at: isoTimestamp(ph.createdAt),
  };
}
