import { CommentsController } from '../comments/comments.controller';
import { CommentsService } from '../comments/comments.service';
import { PicturesController } from '../pictures/pictures.controller';
import { PicturesService } from '../pictures/pictures.service';
import { TradeInCounts } from './trade-in-counts';
import { TradeInsController } from './trade-ins.controller';
import { TradeInsService } from './trade-ins.service';

export const TRADE_IN_CONTROLLERS = [TradeInsController, PicturesController, CommentsController];
export const TRADE_IN_PROVIDERS = [TradeInCounts, TradeInsService, PicturesService, CommentsService];
