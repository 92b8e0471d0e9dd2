import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { iriOf } from '../../common/iri';
import { isoTimestamp } from '../../common/serialize';
import { IsOmittable } from '../../common/validation';
import { submissionId } from '../program.mapping';
import { ProgramPhoto } from './photo.entity';

/** The most photos a submission can name (SubmissionInput.photos) and so the highest minimum a tenant can ask for. */
export const MAX_SUBMISSION_PHOTOS = 30;

export const PHOTO_SOURCES = ['upload', 'dealer'] as const;

export class PhotoView {
  @ApiProperty({
    description: 'Photo id, used in submissions: `photo_…` for an upload; `picture_{id}` for a picture added on the dealer side (PUT submissions/{id} keeps it when its id is in `photos`).',
    example: 'photo_abc',
  })
  id: string;
  @ApiProperty({
    description: 'Absolute URL of the image (an upload: its owner with the Bearer token, staff with X-API-Key). Also the trade-in picture URL.',
    example: 'https://dealer.example/api/default/photos/photo_abc',
  })
  url: string;
  @ApiPropertyOptional({ description: 'Decoded from the content: image/jpeg, image/png or image/webp (null for a dealer-side picture, which is only a URL).', example: 'image/jpeg', nullable: true })
  content_type: string | null;
  @ApiPropertyOptional({ description: 'Size in bytes (null for a dealer-side picture).', example: 245112, nullable: true }) size: number | null;
  @ApiPropertyOptional({ description: 'Picture type code (angle), if given.', example: 'exterior_front', nullable: true }) picture_type: string | null;
  @ApiPropertyOptional({ description: 'The submission the photo is attached to.', example: 'sub_123', nullable: true }) submission_id: string | null;
  @ApiPropertyOptional({
    description: 'The trade-in picture this photo is in the dealer API (/api/v3/trade-ins/{id}/pictures): both APIs show one list. Null while the photo is not attached.',
    example: '/api/v3/trade-ins/123/pictures/31',
    nullable: true,
  })
  picture: string | null;
  @ApiProperty({ description: 'upload: uploaded by the customer (POST photos); dealer: added by dealer staff through /api/v3/trade-ins/{id}/pictures.', enum: PHOTO_SOURCES, example: 'upload' })
  source: string;
  @ApiProperty({ description: 'Upload time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
}

export class PhotoUploadInput {
  @ApiProperty({
    description: 'The image: JPEG, PNG or WebP, checked by decoding it; at most PHOTO_MAX_BYTES (10 MB by default) and PHOTO_MAX_PIXELS (50 megapixels).',
    type: 'string',
    format: 'binary',
    example: '(binary)',
  })
  photo: unknown;
  @ApiPropertyOptional({ description: 'Angle, as a picture type code (see photo-requirements).', example: 'exterior_front' })
  picture_type?: string;
}

export class PhotoRequirementsInput {
  @ApiPropertyOptional({ description: 'How many photos a submission needs at least (0–30).', example: 3, minimum: 0, maximum: MAX_SUBMISSION_PHOTOS })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(MAX_SUBMISSION_PHOTOS)
  min_count?: number;

  @ApiPropertyOptional({
    description: 'Angles a submission must have a photo of: picture type codes (see `angles` in the answer). Replaces the list; [] requires none.',
    example: ['exterior_front', 'odometer'],
    type: [String],
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(64)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  required_angles?: string[];
}

export class PhotoAngleView {
  @ApiProperty({ description: 'Picture type code: the `picture_type` of an upload.', example: 'exterior_front' }) code: string;
  @ApiProperty({ description: 'Label to show.', example: 'Exterior — front' }) label: string;
  @ApiProperty({ description: 'Whether a submission must have a photo of it.', example: true }) required: boolean;
}

export class PhotoRequirementsView {
  @ApiProperty({ description: 'How many photos a submission needs at least.', example: 3 }) min_count: number;
  @ApiProperty({ description: 'The angles a submission needs a photo of (picture type codes).', example: ['exterior_front', 'odometer'], type: [String] }) required_angles: string[];
  @ApiProperty({ description: 'Every angle a photo can be uploaded as, in gallery order, with its label and whether it is required.', type: [PhotoAngleView] })
  angles: PhotoAngleView[];
  @ApiProperty({ description: 'True while the tenant has not set its own: the default is one photo of any angle.', example: false }) is_default: boolean;
  @ApiPropertyOptional({ description: 'Last change (null for the default).', example: '2024-01-20T10:00:00+00:00', nullable: true }) updated_at: string | null;
}

/** An entry of the programme's photo list (PhotoView). */
export type RenderedPhoto = Omit<PhotoView, 'source'> & { source: (typeof PHOTO_SOURCES)[number] };

/** An uploaded photo as the programme shows it; `url` is its address (also the trade-in picture URL once attached). */
export function renderPhoto(url: string, ph: ProgramPhoto): RenderedPhoto {
  const attached = ph.pictureId !== null && ph.tradeInId !== null;
  return {
    id: ph.publicId,
    url,
    content_type: ph.contentType,
    size: ph.size,
    picture_type: ph.pictureTypeCode,
    submission_id: attached ? submissionId(ph.tradeInId!) : null,
    picture: attached ? `${iriOf('trade-ins', ph.tradeInId!)}/pictures/${ph.pictureId}` : null,
    source: 'upload' as const,
    created_at: isoTimestamp(ph.createdAt) as string,
  };
}

/** A picture added on the dealer side, as an entry of the programme's photo list. */
export function renderDealerPicture(p: { id: number; tradeInId: number; url: string; pictureTypeCode: string | null; createdAt: Date }): RenderedPhoto {
  return {
    id: `picture_${p.id}`,
    url: p.url,
    content_type: null,
    size: null,
    picture_type: p.pictureTypeCode,
    submission_id: submissionId(p.tradeInId),
    picture: `${iriOf('trade-ins', p.tradeInId)}/pictures/${p.id}`,
    source: 'dealer' as const,
    created_at: isoTimestamp(p.createdAt) as string,
  };
}
