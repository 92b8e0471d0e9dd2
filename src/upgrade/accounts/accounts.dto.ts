import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { trim } from '../program.validators';
import { AddressInput, ProfileAddressView } from '../shipping/shipping.dto';

/** bcrypt (the hashes from before argon2id) read at most 72 bytes; the limit stays so that every password is checked whole by either. */
@ValidatorConstraint({ name: 'passwordBytes' })
class PasswordBytes implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= 72;
  }
  defaultMessage(_args: ValidationArguments): string {
    return 'password must be at most 72 bytes';
  }
}

export class RegisterInput {
  @ApiProperty({ description: 'Login e-mail (case-insensitive, unique within the programme).', example: 'mari.tamm@example.com', maxLength: 190 })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(190)
  email: string;

  @ApiProperty({ description: 'Password: 10 characters to 72 bytes.', example: 'correct horse battery', minLength: 10 })
  @IsString()
  @MinLength(10)
  @Validate(PasswordBytes)
  password: string;

  @ApiPropertyOptional({ description: 'Given name.', example: 'Mari', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  first_name?: string;

  @ApiProperty({ description: 'Family name.', example: 'Tamm', maxLength: 100 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  last_name: string;

  @ApiPropertyOptional({ description: 'Phone number.', example: '+372 5555 1234', maxLength: 40 })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string;

  @ApiPropertyOptional({ description: "Postal address, free text (the dealer-side customer record's address).", example: 'Narva mnt 5, Tallinn', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string;

  @ApiPropertyOptional({ description: 'Where shipping kits go, in parts (the label prints it under your name).', type: AddressInput })
  @IsOptional()
  @IsObject({ message: 'shipping_address must be an object' })
  @ValidateNested()
  @Type(() => AddressInput)
  shipping_address?: AddressInput;
}

export class LoginInput {
  @ApiProperty({ description: 'Login e-mail.', example: 'mari.tamm@example.com' })
  @IsString()
  @MaxLength(190)
  email: string;

  @ApiProperty({ description: 'Password.', example: 'correct horse battery' })
  @IsString()
  @MaxLength(200)
  password: string;
}

export class ProfileInput {
  @ApiPropertyOptional({ description: 'Given name (null clears).', example: 'Mari', maxLength: 100, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  first_name?: string | null;

  @ApiPropertyOptional({ description: 'Family name (cannot be cleared).', example: 'Tamm-Kask', maxLength: 100, type: String })
  @ValidateIf((o: { last_name?: unknown }) => o.last_name !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  last_name?: string;

  @ApiPropertyOptional({ description: 'Phone number (null clears).', example: '+372 5555 1234', maxLength: 40, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  phone?: string | null;

  @ApiPropertyOptional({ description: "Postal address, free text (null clears): the dealer-side customer record's address.", example: 'Narva mnt 5, Tallinn', maxLength: 255, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  address?: string | null;

  @ApiPropertyOptional({
    description: 'Where shipping kits go, in parts, replaced whole (null clears). Saving it orders the kits that waited for it.',
    type: AddressInput,
    nullable: true,
  })
  @IsOptional()
  @IsObject({ message: 'shipping_address must be an object' })
  @ValidateNested()
  @Type(() => AddressInput)
  shipping_address?: AddressInput | null;
}

export class ProfileView {
  @ApiProperty({ description: 'Account id.', example: 12 }) id: number;
  @ApiProperty({ description: 'Login e-mail.', example: 'mari.tamm@example.com' }) email: string;
  @ApiPropertyOptional({ description: 'Given name.', example: 'Mari', nullable: true }) first_name: string | null;
  @ApiPropertyOptional({ description: 'Family name (null only when staff turned the dealer-side customer into a company).', example: 'Tamm', nullable: true, type: String }) last_name: string | null;
  @ApiPropertyOptional({ description: 'Phone.', example: '+372 5555 1234', nullable: true }) phone: string | null;
  @ApiPropertyOptional({ description: 'Postal address (free text).', example: 'Narva mnt 5, Tallinn', nullable: true }) address: string | null;
  @ApiPropertyOptional({ description: 'Where shipping kits go (null: none yet; kit orders wait for it).', type: ProfileAddressView, nullable: true }) shipping_address: ProfileAddressView | null;
  @ApiProperty({ description: 'The same person as a dealer-side customer (IRI); trade-ins show it as their customer.', example: '/api/v3/customers/214154' }) customer: string;
  @ApiProperty({ description: 'Registration time.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
  @ApiPropertyOptional({ description: 'Last successful login.', example: '2024-01-21T08:00:00+00:00', nullable: true }) last_login_at: string | null;
}

export class RegistrationView {
  @ApiProperty({ description: 'Always accepted: the same answer whether the e-mail is new or already registered.', example: 'accepted' }) status: string;
  @ApiProperty({ description: 'What to do next.', example: 'If mari.tamm@example.com had no account here, it has one now. Log in with POST /api/default/auth/login.' }) detail: string;
  @ApiProperty({ description: 'Where to log in.', example: '/api/default/auth/login' }) login: string;
}

export class SessionView {
  @ApiProperty({ description: 'Bearer token: send it as `Authorization: Bearer <token>`. Shown once; only its hash is stored.', example: 'tis_3q2-7wEhKx0m7b1Jx2aY0a3Cw4VbqvT0fK9Zb8r0H4E' })
  token: string;
  @ApiProperty({ description: 'Always Bearer.', example: 'Bearer' }) token_type: string;
  @ApiProperty({ description: 'When the token stops working.', example: '2024-01-27T10:00:00+00:00' }) expires_at: string;
  @ApiPropertyOptional({ description: 'The new profile (registration only).', type: ProfileView }) customer?: ProfileView;
}

export class PasswordResetRequestInput {
  @ApiProperty({ description: 'The login e-mail of the account.', example: 'mari.tamm@example.com', maxLength: 190 })
  @IsString()
  @MaxLength(190)
  email: string;
}

export class PasswordResetInput {
  @ApiProperty({ description: 'The code from the e-mail.', example: 'tpr_Vb0m6qJxk0n1t7yI2mQ9dXwT3aPzL5eR8sUcH4gK1fA' })
  @IsString()
  @MaxLength(200)
  token: string;

  @ApiProperty({ description: 'The new password: 10 characters to 72 bytes.', example: 'a new horse battery', minLength: 10 })
  @IsString()
  @MinLength(10)
  @Validate(PasswordBytes)
  password: string;
}

export class PasswordChangeInput {
  @ApiProperty({ description: 'The password now.', example: 'correct horse battery' })
  @IsString()
  @MaxLength(200)
  current_password: string;

  @ApiProperty({ description: 'The new password: 10 characters to 72 bytes.', example: 'a new horse battery', minLength: 10 })
  @IsString()
  @MinLength(10)
  @Validate(PasswordBytes)
  new_password: string;
}

export class EmailChangeInput {
  @ApiProperty({ description: 'The new login e-mail (case-insensitive, unique within the programme).', example: 'mari.kask@example.com', maxLength: 190 })
  @Transform(trim)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(190)
  email: string;

  @ApiProperty({ description: 'The password (confirms that the account holder asks).', example: 'correct horse battery' })
  @IsString()
  @MaxLength(200)
  password: string;
}

export class AccountSettingsInput {
  @ApiProperty({ description: 'Whether anyone may register (POST auth/register); false: registration answers 403.', example: false })
  @IsBoolean()
  public_signup: boolean;
}

export class AccountSettingsView {
  @ApiProperty({ description: 'Whether anyone may register.', example: true }) public_signup: boolean;
  @ApiPropertyOptional({ description: 'Last change (null: never changed, the default).', example: '2024-01-20T10:00:00+00:00', nullable: true }) updated_at: string | null;
}

export class AcceptedView {
  @ApiProperty({ description: 'Always accepted.', example: 'accepted' }) status: string;
  @ApiProperty({ description: 'What happens next.', example: 'If mari.tamm@example.com has an account here, a reset code was sent to it.' }) detail: string;
}

export class AccountStatusView {
  @ApiProperty({ description: 'Account id.', example: 12 }) id: number;
  @ApiProperty({ description: 'Login e-mail.', example: 'mari.tamm@example.com' }) email: string;
  @ApiProperty({ description: 'Whether the account is disabled (cannot log in).', example: false }) disabled: boolean;
  @ApiPropertyOptional({ description: 'When it was disabled.', example: null, nullable: true }) disabled_at: string | null;
}
