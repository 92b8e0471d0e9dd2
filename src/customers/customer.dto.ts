import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

export class CustomerInput {
  @ApiPropertyOptional({ description: 'Given name of a private customer.', example: 'Mari', maxLength: 100, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  firstName?: string | null;

  @ApiPropertyOptional({ description: 'Family name of a private customer. A customer needs a lastName or a companyName.', example: 'Tamm', maxLength: 100, nullable: true, type: String })
  @ValidateIf((o: CustomerInput) => o.lastName !== undefined && o.lastName !== null)
  @IsString()
  @MaxLength(100)
  lastName?: string | null;

  @ApiPropertyOptional({ description: 'Company name for business customers.', example: 'Popular Leasing OÜ', maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  companyName?: string | null;

  @ApiPropertyOptional({ description: 'E-mail address.', example: 'mari.tamm@example.com', maxLength: 190, nullable: true, type: String })
  @IsOptional()
  @MaxLength(190)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email?: string | null;

  @ApiPropertyOptional({ description: 'Phone number, international format preferred.', example: '+372 5555 1234', maxLength: 40, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  @Matches(/^[0-9+()\-. ]*$/, { message: 'phone may contain digits, spaces and + ( ) - . only' })
  phone?: string | null;

  @ApiPropertyOptional({ description: 'National identification code or company registry code.', example: '49001010000', maxLength: 40, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  personalCode?: string | null;

  @ApiPropertyOptional({ description: 'Postal address on one line.', example: 'Pärnu mnt 10, Tallinn', maxLength: 255, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;
}

export class CustomerPatch extends PartialType(CustomerInput) {}

/** Read model, for the OpenAPI document. */
export class CustomerView extends CustomerInput {
  @ApiProperty({ description: 'Numeric identifier.', example: 214154, type: Number }) id: number;
  @ApiProperty({ description: 'IRI of the customer.', example: '/api/v3/customers/214154', type: String }) iri: string;
  @ApiProperty({ description: 'Creation timestamp.', example: '2024-02-22T11:55:22+00:00', type: String }) createdAt: string;
  @ApiProperty({ description: 'Last update timestamp.', example: '2024-02-23T08:00:00+00:00', type: String }) updatedAt: string;
}
