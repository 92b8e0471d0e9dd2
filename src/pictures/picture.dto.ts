import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsString, IsUrl, MaxLength } from 'class-validator';

export class PictureInput {
  @ApiProperty({ description: 'Absolute http(s) URL of the image.', example: 'https://placehold.co/2000x1500', maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an absolute http(s) URL' })
  url: string;

  @ApiPropertyOptional({
    description: 'IRI of a picture type (see /api/v3/picture-types). Optional but strongly advised; untyped pictures go to the end of the gallery.',
    example: '/api/v3/picture-types/exterior_front',
    nullable: true,
    type: String,
  })
  @Allow()
  pictureType?: unknown;
}

export class PictureView {
  @ApiProperty({ description: 'Picture id.', example: 31, type: Number }) id: number;
  @ApiProperty({ description: 'IRI of the picture.', example: '/api/v3/trade-ins/1233/pictures/31', type: String }) iri: string;
  @ApiProperty({ description: 'Image URL.', example: 'https://placehold.co/2000x1500', type: String }) url: string;
  @ApiPropertyOptional({ description: 'IRI of the picture type, or null for untyped pictures.', example: '/api/v3/picture-types/exterior_front', nullable: true, type: String }) pictureType:
    string | null;
  @ApiProperty({ description: 'Place in the gallery, 1-based.', example: 1, type: Number }) position: number;
  @ApiProperty({ description: 'Upload time.', example: '2024-02-22T11:55:22+00:00', type: String }) createdAt: string;
}

export class PictureTypeView {
  @ApiProperty({ description: 'Code (used in the IRI).', example: 'exterior_front', type: String }) code: string;
  @ApiProperty({ description: 'IRI to send as pictureType.', example: '/api/v3/picture-types/exterior_front', type: String }) iri: string;
  @ApiProperty({ description: 'Human label.', example: 'Exterior — front', type: String }) label: string;
  @ApiProperty({ description: 'Gallery position (typed pictures sort by it).', example: 10, type: Number }) position: number;
}
