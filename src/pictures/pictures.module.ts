import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TradeInsModule } from '../trade-ins/trade-ins.module';
import { PictureType, TradeInPicture } from './picture.entity';
import { PicturesController } from './pictures.controller';
import { PicturesRepository } from './pictures.repository';
import { PicturesService } from './pictures.service';

/** Pictures of a trade-in and the picture-type catalogue (an add-on of the trade-in core). */
@Module({
  imports: [TypeOrmModule.forFeature([PictureType, TradeInPicture]), TradeInsModule],
  controllers: [PicturesController],
  providers: [PicturesRepository, PicturesService],
  exports: [PicturesService],
})
export class PicturesModule {}
