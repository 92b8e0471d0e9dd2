import { BadRequestException, CallHandler, ExecutionContext, HttpException, Inject, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Observable } from 'rxjs';
import { ApiError, badRequest } from '../../common/errors';
import { AppConfig, APP_CONFIG } from '../../config';

/**
 * Reads the photo of a multipart upload (field `photo`) with Nest's FileInterceptor, under the
 * limits of UpgradeModule's MulterModule options (PHOTO_MAX_BYTES, one file, a few fields), and
 * words multer's refusals for the programme: 413 for a photo over the limit, 400 otherwise.
 */
@Injectable()
export class PhotoUploadInterceptor extends FileInterceptor('photo') {
  @Inject(APP_CONFIG) private readonly config: AppConfig;

  override async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    try {
      return await super.intercept(context, next);
    } catch (e) {
      throw this.refusal(e);
    }
  }

  private refusal(e: unknown): unknown {
    if (e instanceof PayloadTooLargeException) return new ApiError(413, `The photo is larger than the ${this.config.photoMaxBytes} bytes allowed.`);
    if (e instanceof BadRequestException) return badRequest(`The multipart body was refused: ${e.message}. Send exactly one file, in the field "photo".`);
    return e instanceof HttpException ? e : badRequest('The multipart body could not be read.');
  }
}
