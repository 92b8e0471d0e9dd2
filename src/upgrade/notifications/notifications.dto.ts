import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { NOTIFICATION_KINDS } from './templates';
import { NOTIFICATION_STATUSES } from './notification.entity';

export class TemplateInput {
  @ApiProperty({ description: 'Subject template (Mustache; one line).', example: 'Your offer: {{offer.amount_text}}', maxLength: 255 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  subject: string;

  @ApiProperty({
    description: 'Plain-text body template (Mustache: `{{name}}`, sections `{{#name}}…{{/name}}`; no partials).',
    example: 'Hello {{customer.first_name}},\n\nwe offer {{offer.amount_text}}.',
    maxLength: 20000,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  body: string;
}

export class TemplateView {
  @ApiProperty({ description: 'Which e-mail.', enum: NOTIFICATION_KINDS, example: 'offer.created' }) kind: string;
  @ApiProperty({ description: 'Subject template.', example: 'Your trade-in offer: {{offer.amount_text}}' }) subject: string;
  @ApiProperty({ description: 'Body template.', example: 'Hello {{customer.first_name}}, …' }) body: string;
  @ApiProperty({ description: "Whether this is the tenant's own text (false: the default).", example: false }) customized: boolean;
  @ApiPropertyOptional({ description: "When the tenant's text was last changed.", example: '2024-01-20T10:00:00+00:00', nullable: true }) updated_at: string | null;
}

export class NotificationView {
  @ApiProperty({ description: 'Id.', example: 41 }) id: number;
  @ApiProperty({ description: 'Which e-mail.', enum: NOTIFICATION_KINDS, example: 'offer.created' }) kind: string;
  @ApiProperty({ description: 'Recipient.', example: 'mari.tamm@example.com' }) recipient: string;
  @ApiPropertyOptional({ description: 'The submission it is about.', example: 'sub_123', nullable: true }) submission_id: string | null;
  @ApiProperty({ description: 'pending (to send or to retry), sent, or failed (given up after MAIL_MAX_ATTEMPTS).', enum: NOTIFICATION_STATUSES, example: 'sent' }) status: string;
  @ApiProperty({ description: 'Sending attempts so far.', example: 1 }) attempts: number;
  @ApiPropertyOptional({ description: 'The last attempt’s error.', example: 'Connection timeout', nullable: true }) last_error: string | null;
  @ApiPropertyOptional({ description: 'Subject as sent.', example: 'Your trade-in offer: 320.00', nullable: true }) subject: string | null;
  @ApiProperty({ description: 'When it was created.', example: '2024-01-20T10:00:00+00:00' }) created_at: string;
  @ApiPropertyOptional({ description: 'When it was sent.', example: '2024-01-20T10:00:02+00:00', nullable: true }) sent_at: string | null;
  @ApiPropertyOptional({ description: 'Next attempt (pending only).', example: null, nullable: true }) next_attempt_at: string | null;
}
