import { Global, Module } from '@nestjs/common';
import { IdempotencyRecord } from './idempotency.entity';
import { IdempotencyRepository } from './idempotency.repository';
import { IdempotencyService } from './idempotency.service';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TxService } from './tx.service';

/**
 * The database layer every feature uses: write transactions (TxService) and Idempotency-Key
 * storage (IdempotencyService). The data source itself
 * comes from `TypeOrmModule.forRoot` in AppModule (with the entity list of src/app.entities.ts);
 * features add their repositories with `TypeOrmModule.forFeature`.
 */
@Global()
@Module({ imports: [TypeOrmModule.forFeature([IdempotencyRecord])], providers: [TxService, IdempotencyRepository, IdempotencyService], exports: [TxService, IdempotencyService] })
export class DatabaseModule {}
