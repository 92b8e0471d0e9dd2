import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TradeInsModule } from '../trade-ins/trade-ins.module';
import { TradeInComment } from './comment.entity';
import { CommentsController } from './comments.controller';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';

/** Comments on a trade-in (an add-on of the trade-in core). */
@Module({ imports: [TypeOrmModule.forFeature([TradeInComment]), TradeInsModule], controllers: [CommentsController], providers: [CommentsRepository, CommentsService] })
export class CommentsModule {}
