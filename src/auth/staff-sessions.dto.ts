import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { UserView } from './users.dto';

export class StaffLoginInput {
  @ApiProperty({ description: "The tenant's (dealer group's) slug; the bootstrap tenant is `default`.", example: 'default', maxLength: 64 })
  @IsString({ message: 'tenant must be the slug of your dealer group, e.g. default' })
  @MaxLength(64)
  tenant: string;

  @ApiProperty({ description: "The staff user's e-mail.", example: 'sales.manager@dealer.example', maxLength: 190 })
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(190)
  email: string;

  @ApiProperty({ description: 'The password an admin set for the user (or the one printed at first start).', example: 'correct horse battery staple', maxLength: 200 })
  @IsString({ message: 'password must be a string' })
  @MaxLength(200)
  password: string;
}

export class StaffPasswordInput {
  @ApiProperty({ description: 'The new password: 12 to 200 characters, not only spaces. Every session of the user ends.', example: 'correct horse battery staple', minLength: 12, maxLength: 200 })
  @IsString({ message: 'password must be a string' })
  @MinLength(12, { message: 'password must be at least 12 characters long' })
  @MaxLength(200)
  @Matches(/\S/, { message: 'password must not be only spaces' })
  password: string;
}

export class StaffSessionView {
  @ApiProperty({
    description: 'Bearer token of the session: send it as `Authorization: Bearer <token>` (instead of X-API-Key). Shown once; only its hash is stored.',
    example: 'tss_3q2-7wEhKx0m7b1Jx2aY0a3Cw4VbqvT0fK9Zb8r0H4E',
    type: String,
  })
  token: string;

  @ApiProperty({ description: 'When the session ends (STAFF_SESSION_HOURS after sign-in).', example: '2024-02-22T23:55:22.000+00:00', type: String })
  expiresAt: string;

  @ApiProperty({ description: 'The signed-in user; the role applies exactly as for an API key of this user.', type: UserView })
  user: UserView;
}
