import { Body, Get, Param, Post, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiParam, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { AcceptsContent } from '../../common/media-types.guard';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { PhotoUploadInterceptor } from './photo-upload.interceptor';
import { PhotoUploadInput, PhotoView } from './photos.dto';
import type { UploadedPhoto } from './photos.service';
import { PhotosService } from './photos.service';

@ProgramController('Customer programme — photos')
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  @Post('photos')
  @ProgramRoute('customer')
  @AcceptsContent('multipart/form-data')
  @UseInterceptors(PhotoUploadInterceptor)
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
  upload(@ProgramCaller() c: Caller, @UploadedFile() file: UploadedPhoto | undefined, @Body('picture_type') pictureType: unknown) {
    return this.photos.upload(c, file, pictureType);
  }

  @Get('photos/:id')
  @ProgramRoute('customer', 'staff')
  @ApiParam({ name: 'id', description: 'Photo id.', example: 'photo_abc' })
  @ApiProduces('image/jpeg', 'image/png', 'image/webp')
  @Doc('Get a photo', "The image bytes, for its owner (Bearer) or the tenant's staff (X-API-Key). This URL is also the trade-in picture URL.", { status: 200, description: 'The image.' })
  async photo(@ProgramCaller() c: Caller, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const { data, contentType } = await this.photos.photo(c, id);
    res.setHeader('Cache-Control', 'private, max-age=3600');
    return new StreamableFile(data, { type: contentType, length: data.length });
  }
}
