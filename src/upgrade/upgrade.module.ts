import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig, APP_CONFIG } from '../config';
import { AccountsController } from './accounts/accounts.controller';
import { AccountsRepository } from './accounts/accounts.repository';
import { AccountsService } from './accounts/accounts.service';
import { AdminController } from './admin/admin.controller';
import { AdminRepository } from './admin/admin.repository';
import { AdminService } from './admin/admin.service';
import { OffersController } from './offers/offers.controller';
import { OffersRepository } from './offers/offers.repository';
import { OffersService } from './offers/offers.service';
import { LocalDiskStorage, PHOTO_STORAGE } from './photos/photo.storage';
import { PhotosController } from './photos/photos.controller';
import { PhotosRepository } from './photos/photos.repository';
import { PhotosService } from './photos/photos.service';
import { S3PhotoStorage } from './photos/s3-photo.storage';
import { PROGRAM_ENTITIES } from './program.entities';
import { ProgramGuard } from './program.guard';
import { QuotesService } from './quotes/quotes.service';
import { ValuationsController } from './quotes/valuations.controller';
import { ValuationsRepository } from './quotes/valuations.repository';
import { ValuationsService } from './quotes/valuations.service';
import { LogisticsService } from './submissions/logistics.service';
import { SubmissionsController } from './submissions/submissions.controller';
import { SubmissionsRepository } from './submissions/submissions.repository';
import { SubmissionsService } from './submissions/submissions.service';

/**
 * The customer-facing trade-in programme (`/api/{tenant}/...`). It uses the core through
 * TradeInsService (every trade-in it creates, changes or moves), PicturesService (picture types),
 * AuthService/AuthFailures (staff keys) and TxService.
 *
 * The controllers are listed in the order of the routes in openapi/openapi.json.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature(PROGRAM_ENTITIES),
    // Photo uploads (PhotoUploadInterceptor): in memory (the PhotoStorage writes them), PHOTO_MAX_BYTES, one file and a few fields.
    MulterModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => ({ limits: { fileSize: config.photoMaxBytes, files: 1, fields: 5, parts: 6 } }) }),
  ],
  controllers: [AccountsController, SubmissionsController, OffersController, PhotosController, ValuationsController, AdminController],
  providers: [
    ProgramGuard,
    AccountsRepository,
    AccountsService,
    ValuationsRepository,
    QuotesService,
    ValuationsService,
    SubmissionsRepository,
    SubmissionsService,
    LogisticsService,
    OffersRepository,
    OffersService,
    PhotosRepository,
    PhotosService,
    AdminRepository,
    AdminService,
    { provide: PHOTO_STORAGE, useFactory: (config: AppConfig) => (config.photoStorage === 's3' ? new S3PhotoStorage(config.s3) : new LocalDiskStorage(config.uploadDir)), inject: [APP_CONFIG] },
  ],
})
export class UpgradeModule {}
