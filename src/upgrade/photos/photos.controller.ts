import { Body, Get, Param, Post, Put, Res, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiParam, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { AcceptsContent } from '../../common/media-types.guard';
import { Doc } from '../program.docs';
import { ProgramController, ProgramRoute } from '../program.decorators';
import { Caller, ProgramCaller } from '../program.guard';
import { PhotoUploadInterceptor } from './photo-upload.interceptor';
import { PhotoRequirementsInput, PhotoRequirementsView, PhotoUploadInput, PhotoView } from './photos.dto';
import { PhotoRequirementsService } from './photo-requirements.service';
import { Roles } from '../../common/principal';
import type { UploadedPhoto } from './photos.service';
import { PhotosService } from './photos.service';

@ProgramController('Customer programme — photos')
export class PhotosController {
  constructor(
    private readonly photos: PhotosService,
    private readonly requirements: PhotoRequirementsService,
  ) {}

  @Post('photos')
  @ProgramRoute('customer')
  @AcceptsContent('multipart/form-data')
  @UseInterceptors(PhotoUploadInterceptor)
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: PhotoUploadInput })
  @Doc(
    'Upload a photo',
    'multipart/form-data with the file in field `photo` (and optionally `picture_type`, the angle: see GET photo-requirements). JPEG, PNG or WebP, checked by decoding the whole image (a file that only starts like an image is refused); at most PHOTO_MAX_BYTES (10 MB) and PHOTO_MAX_PIXELS (50 megapixels, read from the header before decoding). Stored on local disk (UPLOAD_DIR) or S3 and addressed as PUBLIC_BASE_URL/api/{tenant}/photos/{id}.',
    { status: 201, type: PhotoView, description: 'Stored.' },
    [
      [400, 'No file in field "photo", or a malformed multipart body.'],
      [413, 'Larger than the limit.'],
      [415, 'Not multipart/form-data.'],
      [422, 'Not a JPEG, PNG or WebP image that decodes, more pixels than allowed, or an unknown picture_type.'],
      [503, 'Too many photos being checked at once; try again (Retry-After).'],
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

  @Get('photo-requirements')
  @ProgramRoute('customer', 'staff')
  @Doc(
    'Photo requirements',
    "What a submission needs in photos before it can be submitted (POST submissions/{id}): at least `min_count` photos and one of each angle in `required_angles`; `angles` lists every angle a photo can be uploaded as (`picture_type`), with its label. Set by the tenant's admin (PUT admin/photo-requirements); unset: one photo, any angle.",
    { status: 200, type: PhotoRequirementsView, description: 'The requirements.' },
  )
  getRequirements(@ProgramCaller() c: Caller) {
    return this.requirements.get(c);
  }

  @Get('admin/photo-requirements')
  @ProgramRoute('staff')
  @Doc('Photo requirements (admin)', 'The same as GET photo-requirements, for staff.', { status: 200, type: PhotoRequirementsView, description: 'The requirements.' })
  getAdminRequirements(@ProgramCaller() c: Caller) {
    return this.requirements.get(c);
  }

  @Put('admin/photo-requirements')
  @Roles('admin')
  @ProgramRoute('staff')
  @Doc(
    'Set the photo requirements (admin)',
    'Only the fields sent change; `required_angles` replaces the list. Checked when a submission is submitted, against its photos (and pictures added on the dealer side): a 422 names every missing angle (`photos.{angle}`) and the shortfall in number (`photos`) at once. Submissions already submitted are not affected.',
    { status: 200, type: PhotoRequirementsView, description: 'The requirements.' },
    [[422, 'min_count outside 0–30, an unknown or repeated angle (violations name each).']],
  )
  @ApiBody({
    type: PhotoRequirementsInput,
    examples: { angles: { summary: 'Front, rear and odometer, four photos', value: { min_count: 4, required_angles: ['exterior_front', 'exterior_rear', 'odometer'] } } },
  })
  putRequirements(@ProgramCaller() c: Caller, @Body() input: PhotoRequirementsInput) {
    return this.requirements.put(c, input);
  }
}
