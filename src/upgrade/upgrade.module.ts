import { ProgrammeJobs } from './programme.jobs';
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module';
import { Extensions } from '../common/extensions';
import { REFERENCE_CHECKS } from '../common/references';
import { AppConfig, APP_CONFIG } from '../config';
import { PicturesModule } from '../pictures/pictures.module';
import { TenantsModule } from '../tenants/tenants.module';
import { TRADE_IN_RULES, TRADE_IN_STATUSES, TRADE_IN_VIEW_FIELDS } from '../trade-ins/trade-in.extensions';
import { TradeInsModule } from '../trade-ins/trade-ins.module';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountAdminService } from './accounts/account-admin.service';
import { AccountsService } from './accounts/accounts.service';
import { AdminController } from './admin/admin.controller';
import { fileTransport, MAIL_TRANSPORT, smtpTransport } from './notifications/mail.transport';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsRepository } from './notifications/notifications.repository';
import { NotificationsService } from './notifications/notifications.service';
import { NotificationsWorker } from './notifications/notifications.worker';
import { AdminRepository } from './admin/admin.repository';
import { AdminService } from './admin/admin.service';
import { CreditsController } from './credits/credits.controller';
import { CreditsRepository } from './credits/credits.repository';
import { CreditsService } from './credits/credits.service';
import { OfferMaker } from './offers/offer-maker';
import { OfferSettingsController } from './offers/offer-settings.controller';
import { OfferSettingsService } from './offers/offer-settings.service';
import { OffersController } from './offers/offers.controller';
import { OffersRepository } from './offers/offers.repository';
import { OffersService } from './offers/offers.service';
import { LocalDiskStorage, PHOTO_STORAGE } from './photos/photo.storage';
import { PhotosController } from './photos/photos.controller';
import { PhotosRepository } from './photos/photos.repository';
import { PhotosService } from './photos/photos.service';
import { ImageCheck } from './photos/image-check';
import { PhotoRequirementsService } from './photos/photo-requirements.service';
import { PROGRAM_ENTITIES } from './program.entities';
import { PROGRAM_REFERENCE_CHECK, PROGRAM_VIEW_FIELD, ProgramTradeInRules } from './program-facts.extension';
import { ProgramGuard } from './program.guard';
import { PROGRAMME_STATUSES } from './program-statuses';
import { QuotesService } from './quotes/quotes.service';
import { ValuationsController } from './quotes/valuations.controller';
import { ValuationsRepository } from './quotes/valuations.repository';
import { ValuationsService } from './quotes/valuations.service';
import { LogisticsService } from './submissions/logistics.service';
import { SubmissionsController } from './submissions/submissions.controller';
import { SubmissionsRepository } from './submissions/submissions.repository';
import { SubmissionsService } from './submissions/submissions.service';
import { KitOrdersService } from './shipping/kit-orders.service';
import { LabelRenderer } from './shipping/label.renderer';
import { ShippingAdminController, ShippingController } from './shipping/shipping.controller';
import { IntegrationShipping, ManualShipping, SHIPPING_PROVIDERS } from './shipping/shipping.provider';
import { ShippingRepository } from './shipping/shipping.repository';
import { ShippingService } from './shipping/shipping.service';

/**
 * The customer-facing trade-in programme (`/api/{tenant}/...`), an add-on of the trade-in core. It
 * uses the core through TradeInsService (every trade-in it creates, changes or moves),
 * PicturesService (picture types), AuthService/AuthFailures (staff keys) and TxService, and fills
 * the core's extension points: TRADE_IN_STATUSES (the logistics statuses after the acceptance), TRADE_IN_RULES (the programme's requirements and dealer-API checks),
 * TRADE_IN_VIEW_FIELDS (the `program` field of the trade-in view and its join) and REFERENCE_CHECKS
 * (a customer still referenced by a programme account). The core never imports this folder.
 *
 * The controllers are listed in the order of the routes in openapi/openapi.json.
 */
@Module({
  imports: [
    TradeInsModule,
    PicturesModule,
    AuthModule,
    TenantsModule,
    TypeOrmModule.forFeature(PROGRAM_ENTITIES),
    // Photo uploads (PhotoUploadInterceptor): in memory (the PhotoStorage writes them), PHOTO_MAX_BYTES, one file and a few fields.
    MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => ({ limits: { fileSize: config.photoMaxBytes, files: 1, fields: 5, parts: 6 } }) }),
  ],
  controllers: [
    AccountsController,
    SubmissionsController,
    OffersController,
    PhotosController,
    ValuationsController,
    AdminController,
    OfferSettingsController,
    CreditsController,
    NotificationsController,
    ShippingController,
    ShippingAdminController,
  ],
  providers: [
    ProgramGuard,
    AccountsRepository,
    AccountsService,
    AccountAdminService,
    ValuationsRepository,
    QuotesService,
    ValuationsService,
    SubmissionsRepository,
    SubmissionsService,
    LogisticsService,
    OffersRepository,
    OfferSettingsService,
    OfferMaker,
    OffersService,
    CreditsRepository,
    CreditsService,
    ProgrammeJobs,
    PhotosRepository,
    PhotosService,
    ImageCheck,
    PhotoRequirementsService,
    AdminRepository,
    AdminService,
    NotificationsRepository,
    NotificationsService,
    NotificationsWorker,
    // SMTP when SMTP_URL is set; otherwise .eml files in MAIL_DIR (the embedded default).
    { provide: MAIL_TRANSPORT, useFactory: (config: AppConfig) => (config.smtpUrl ? smtpTransport(config.smtpUrl) : fileTransport(config.mailDir)), inject: [APP_CONFIG] },
    ShippingRepository,
    ManualShipping,
    IntegrationShipping,
    // Kit fulfilment providers by name; the tenant's configuration picks one (shipping/shipping.provider.ts).
    { provide: SHIPPING_PROVIDERS, useFactory: (manual: ManualShipping, integration: IntegrationShipping) => [manual, integration], inject: [ManualShipping, IntegrationShipping] },
    KitOrdersService,
    LabelRenderer,
    ShippingService,
    // The S3 client (about 9 MB resident) is loaded only when photos go to S3.
    {
      provide: PHOTO_STORAGE,
      useFactory: async (config: AppConfig) => (config.photoStorage === 's3' ? new (await import('./photos/s3-photo.storage')).S3PhotoStorage(config.s3) : new LocalDiskStorage(config.uploadDir)),
      inject: [APP_CONFIG],
    },
  ],
})
export class UpgradeModule {
  constructor(extensions: Extensions) {
    extensions.add(TRADE_IN_STATUSES, PROGRAMME_STATUSES);
    extensions.add(TRADE_IN_RULES, new ProgramTradeInRules());
    extensions.add(TRADE_IN_VIEW_FIELDS, PROGRAM_VIEW_FIELD);
    extensions.add(REFERENCE_CHECKS, PROGRAM_REFERENCE_CHECK);
  }
}
