import { Global, Module } from '@nestjs/common';
import { TxService } from './tx.service';

/**
 * The database layer every feature uses: write transactions (TxService). The data source itself
 * comes from `TypeOrmModule.forRoot` in AppModule (with the entity list of src/app.entities.ts);
 * features add their repositories with `TypeOrmModule.forFeature`.
 */
@Global()
@Module({ providers: [TxService], exports: [TxService] })
export class DatabaseModule {}
