import { Tenant } from '../tenants/tenant.entity';
import { User } from '../auth/user.entity';
import { ApiKey } from '../auth/api-key.entity';
import { Customer } from '../customers/customer.entity';
import { Location } from '../locations/location.entity';
import { RejectReason } from '../reject-reasons/reject-reason.entity';
import { TradeIn, TradeInStatusChange } from '../trade-ins/trade-in.entity';
import { IdempotencyRecord } from '../common/idempotency.entity';
import { PictureType, TradeInPicture } from '../pictures/picture.entity';
import { TradeInComment } from '../comments/comment.entity';
import { OutboxEvent, OutboxSequence } from './outbox.entity';
import { WebhookAttempt, WebhookDelivery, WebhookSubscription } from '../webhooks/webhook.entity';
import { ScheduledJob } from '../jobs/scheduled-job.entity';
import { PROGRAM_ENTITIES } from '../upgrade/program.entities';

export const ENTITIES = [
  Tenant,
  User,
  ApiKey,
  Customer,
  Location,
  RejectReason,
  TradeIn,
  TradeInStatusChange,
  IdempotencyRecord,
  PictureType,
  TradeInPicture,
  TradeInComment,
  ...PROGRAM_ENTITIES,
  OutboxEvent,
  OutboxSequence,
  WebhookSubscription,
  WebhookDelivery,
  WebhookAttempt,
  ScheduledJob,
];
