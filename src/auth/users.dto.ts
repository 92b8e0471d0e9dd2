import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Role, ROLES } from './user.entity';

export class UserInput {
  @ApiProperty({ description: 'Login e-mail, unique within the tenant.', example: 'sales.manager@dealer.example', maxLength: 190 })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(190)
  email: string;

  @ApiProperty({ description: 'Display name.', example: 'Sales Manager', maxLength: 120, type: String })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;

  @ApiProperty({ description: 'admin: everything; manager: all trade-in work and customers; readonly: GET only.', enum: ROLES, example: 'manager' })
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role: Role;
}

export class UserPatch {
  @ApiPropertyOptional({ description: 'Display name.', example: 'Senior Sales Manager', maxLength: 120, type: String })
  @ValidateIf((o: UserPatch) => o.name !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name?: string;

  @ApiPropertyOptional({ description: 'New role.', enum: ROLES, example: 'readonly' })
  @ValidateIf((o: UserPatch) => o.role !== undefined)
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ description: 'true disables the user: all their keys stop working.', example: false, type: Boolean })
  @ValidateIf((o: UserPatch) => o.disabled !== undefined)
  @IsBoolean()
  disabled?: boolean;
}

export class UserView {
  @ApiProperty({ description: 'Numeric identifier.', example: 7, type: Number }) id: number;
  @ApiProperty({ description: 'IRI.', example: '/api/v3/users/7', type: String }) iri: string;
  @ApiProperty({ description: 'E-mail.', example: 'sales.manager@dealer.example', type: String }) email: string;
  @ApiProperty({ description: 'Display name.', example: 'Sales Manager', type: String }) name: string;
  @ApiProperty({ description: 'Role.', enum: ROLES, example: 'manager' }) role: Role;
  @ApiProperty({ description: 'Whether the user is disabled.', example: false, type: Boolean }) disabled: boolean;
  @ApiProperty({ description: 'Creation timestamp.', example: '2024-02-22T11:55:22+00:00', type: String }) createdAt: string;
}

export class ApiKeyInput {
  @ApiProperty({ description: 'IRI of the user the key acts as.', example: '/api/v3/users/7' })
  @IsString({ message: 'user must be the IRI of a user, e.g. /api/v3/users/7' })
  user: string;

  @ApiProperty({ description: 'A label to recognise the key by.', example: 'DMS integration (production)', maxLength: 120, type: String })
  @IsString()
  @IsNotEmpty()
  @MaxLength(120)
  name: string;
}

export class ApiKeyView {
  @ApiProperty({ description: 'Numeric identifier.', example: 3, type: Number }) id: number;
  @ApiProperty({ description: 'IRI.', example: '/api/v3/api-keys/3', type: String }) iri: string;
  @ApiProperty({ description: 'Label.', example: 'DMS integration (production)', type: String }) name: string;
  @ApiProperty({ description: 'First characters of the key, to tell keys apart.', example: 'tik_AbCdEfGh', type: String }) prefix: string;
  @ApiProperty({ description: 'The user the key acts as.', type: UserView }) user: UserView;
  @ApiProperty({ description: 'Creation timestamp.', example: '2024-02-22T11:55:22+00:00', type: String }) createdAt: string;
  @ApiPropertyOptional({ description: 'Last use (updated at most once a minute).', example: '2024-02-23T08:00:00+00:00', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiPropertyOptional({ description: 'Revocation time; a revoked key gets 401.', example: null, nullable: true, type: String }) revokedAt: string | null;
  @ApiPropertyOptional({
    description: 'The key itself — only in the response to its creation. Store it now: it cannot be shown again.',
    example: 'tik_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg',
    type: String,
  })
  key?: string;
}
