import { Tenant } from './tenants/tenant.entity';
import { User } from './auth/user.entity';
import { ApiKey } from './auth/api-key.entity';
import { StaffSession } from './auth/staff-session.entity';
import { Customer } from './customers/customer.entity';
import { Location } from './locations/location.entity';
import { RejectReason } from './reject-reasons/reject-reason.entity';
import { TradeIn, TradeInStatusChange } from './trade-ins/trade-in.entity';
import { IdempotencyRecord } from './database/idempotency.entity';
import { PictureType, TradeInPicture } from './pictures/picture.entity';
import { TradeInComment } from './comments/comment.entity';
import { PROGRAM_ENTITIES } from './upgrade/program.entities';
import { OutboxEvent, OutboxSequence } from './database/outbox.entity';
import { WebhookAttempt, WebhookDelivery, WebhookSubscription } from './webhooks/webhook.entity';
import { ScheduledJob } from './jobs/scheduled-job.entity';
import { buildDataSourceOptions as optionsWith, DataSourceSettings } from './database/data-source';
import { DataSource, DataSourceOptions } from 'typeorm';

/** Every entity of the application: the composition root's list (database/ knows no feature). */
export const ENTITIES = [
  Tenant,
  User,
  ApiKey,
  StaffSession,
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

/** The data source options of this application (database/data-source.ts with the entity list). */
export function buildDataSourceOptions(opts: DataSourceSettings): DataSourceOptions {
  return optionsWith({ ...opts, entities: ENTITIES });
}

export function createDataSource(opts: DataSourceSettings): DataSource {
  return new DataSource(buildDataSourceOptions(opts));
}
