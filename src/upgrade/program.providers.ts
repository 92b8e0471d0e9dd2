import { AppConfig, APP_CONFIG } from '../config';
import { AdminService } from './admin.service';
import { LocalDiskStorage, PHOTO_STORAGE } from './photo.storage';
import { ProgramAdminController, ProgramAuthController, ProgramPhotosController, ProgramSubmissionsController } from './program.controllers';
import { ProgramGuard } from './program.guard';
import { ProgramService } from './program.service';
import { ProgrammeJobs } from './programme.jobs';
import { S3PhotoStorage } from './s3-photo.storage';
import { SessionsService } from './sessions.service';

export const PROGRAM_CONTROLLERS = [ProgramAuthController, ProgramSubmissionsController, ProgramPhotosController, ProgramAdminController];
export const PROGRAM_PROVIDERS = [
  ProgramGuard,
  SessionsService,
  ProgramService,
  AdminService,
  ProgrammeJobs,
  { provide: PHOTO_STORAGE, useFactory: (config: AppConfig) => (config.photoStorage === 's3' ? new S3PhotoStorage(config.s3) : new LocalDiskStorage(config.uploadDir)), inject: [APP_CONFIG] },
];
