import { Controller, Get, Inject, Param, Post, Req, Res, StreamableFile, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import multer from 'multer';
import { Public } from '../../auth/principal';
import { AppConfig, APP_CONFIG } from '../../config';
import { AcceptsContent, IgnoresAccept } from '../../common/media-types.guard';
import { ApiError, badRequest } from '../../common/errors';
import { CUSTOMER, Doc, EITHER } from '../program.docs';
import { Audiences, Caller, ProgramCaller, ProgramGuard } from '../program.guard';
import { PhotoUploadInput, PhotoView } from './photos.dto';
import { PhotosService } from './photos.service';

@ApiTags('Customer programme — photos')
@Public()
@IgnoresAccept()
@UseGuards(ProgramGuard)
@Controller('api/:tenant')
export class PhotosController {
  constructor(
    private readonly photos: PhotosService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('photos')
  @Audiences('customer')
  @AcceptsContent('multipart/form-data')
  @CUSTOMER()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: PhotoUploadInput })
  @Doc(
    'Upload a photo',
    'multipart/form-data with the file in field `photo` (and optionally `picture_type`, the angle). JPEG, PNG or WebP, recognised by content; at most PHOTO_MAX_BYTES (10 MB). Stored on local disk (UPLOAD_DIR) and addressed as PUBLIC_BASE_URL/api/{tenant}/photos/{id}.',
    { status: 201, type: PhotoView, description: 'Stored.' },
    [
      [400, 'No file in field "photo", or a malformed multipart body.'],
      [413, 'Larger than the limit.'],
      [415, 'Not multipart/form-data.'],
      [422, 'Not a JPEG, PNG or WebP image, or an unknown picture_type.'],
    ],
  )
  async upload(@Req() req: Request, @Res({ passthrough: true }) res: Response, @ProgramCaller() c: Caller) {
    const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: this.config.photoMaxBytes, files: 1, fields: 5, parts: 6 } }).single('photo');
    await new Promise<void>((resolve, reject) =>
      upload(req, res, (err: unknown) => {
        if (!err) return resolve();
        if (err instanceof multer.MulterError) {
          if (err.code === 'LIMIT_FILE_SIZE') return reject(new ApiError(413, `The photo is larger than the ${this.config.photoMaxBytes} bytes allowed.`));
          if (err.code === 'LIMIT_UNEXPECTED_FILE') return reject(badRequest(`Send exactly one file, in the field "photo" (got "${String(err.field ?? '').slice(0, 40)}").`));
          return reject(badRequest(`The multipart body was refused: ${err.message}.`));
        }
        reject(badRequest('The multipart body could not be read.'));
      }),
    );
    const file = (req as Request & { file?: { buffer: Buffer; size: number } }).file;
    return this.photos.upload(c, file, (req.body as Record<string, unknown> | undefined)?.picture_type);
  }

  @Get('photos/:id')
  @Audiences('customer', 'staff')
  @EITHER()
  @ApiParam({ name: 'id', description: 'Photo id.', example: 'photo_abc' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @Doc('Get a photo', "The image bytes, for its owner (Bearer) or the tenant's staff (X-API-Key). This URL is also the trade-in picture URL.", { status: 200, description: 'The image.' })
  async photo(@ProgramCaller() c: Caller, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const { data, contentType } = await this.photos.photo(c, id);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    return new StreamableFile(data, { type: contentType, length: data.length });
  }
}
