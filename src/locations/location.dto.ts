import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

export class LocationInput {
  @ApiProperty({ description: 'Dealership name.', example: 'Tallinn Autokeskus', maxLength: 150, type: String })
  @ValidateIf((o: LocationInput) => o.name !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(150)
  name: string;

  @ApiPropertyOptional({ description: 'Short internal code.', example: 'TLN-1', maxLength: 40, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  code?: string | null;

  @ApiPropertyOptional({ description: 'Street address.', example: 'Peterburi tee 2', maxLength: 255, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;

  @ApiPropertyOptional({ description: 'City.', example: 'Tallinn', maxLength: 100, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  city?: string | null;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2 country code.', example: 'EE', nullable: true, type: String })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as EE' })
  country?: string | null;

  @ApiPropertyOptional({ description: 'Phone number.', example: '+372 600 0000', maxLength: 40, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string | null;

  @ApiPropertyOptional({ description: 'E-mail address.', example: 'tallinn@dealer.example', maxLength: 190, nullable: true, type: String })
  @IsOptional()
  @MaxLength(190)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email?: string | null;
}

export class LocationPatch extends PartialType(LocationInput) {}

export class LocationView extends LocationInput {
  @ApiProperty({ description: 'Numeric identifier.', example: 4, type: Number }) id: number;
  @ApiProperty({ description: 'IRI of the location.', example: '/api/v3/locations/4', type: String }) iri: string;
  @ApiProperty({ description: 'Creation timestamp.', example: '2024-02-22T11:55:22+00:00', type: String }) createdAt: string;
  @ApiProperty({ description: 'Last update timestamp.', example: '2024-02-22T11:55:22+00:00', type: String }) updatedAt: string;
}
