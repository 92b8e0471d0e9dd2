import { Module } from '@nestjs/common';
import { ErrorsController } from './errors.controller';
import { HydraController } from './hydra.controller';

/** The API layer's own routes: the Hydra documentation and JSON-LD contexts, and the error type pages. */
@Module({ controllers: [HydraController, ErrorsController] })
export class CommonModule {}
