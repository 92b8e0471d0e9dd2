import { applyDecorators, Body, Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBody, ApiOperation, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Auth, Principal } from '../common/principal';
import { ApiItemDocs, ApiListDocs, ApiParentNotFound, ApiVersionedList, ProblemView } from '../common/openapi.decorators';
import { ParseIdPipe } from '../common/params';
import { CheckedArray, CheckedArrayBody } from '../common/validation.pipe';
import { PictureInput, PictureTypeView, PictureView } from './picture.dto';
import { MAX_PICTURES, PicturesService } from './pictures.service';

const POST_EXAMPLE = [{ url: 'https://placehold.co/2000x1500', pictureType: '/api/v3/picture-types/exterior_front' }, { url: 'https://placehold.co/1600x1200' }];
const PATCH_EXAMPLE = [{ url: 'https://placehold.co/1600x1200', pictureType: '/api/v3/picture-types/exterior_front' }];

/** Error responses of the array-body writes. */
export const ApiArrayWriteErrors = () =>
  applyDecorators(
    ...[
      [400, 'Malformed JSON or a body that is not an array.'],
      [404, "Trade-in not found (or another tenant's)."],
      [415, 'Content-Type not accepted.'],
      [422, 'Invalid items (violations name the index, e.g. [2].url), too many items, or the trade-in is locked.'],
    ].map(([status, description]) =>
      ApiResponse({
        status: status as number,
        description: description as string,
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemView) } }, 'application/ld+json': { schema: { $ref: getSchemaPath(ProblemView) } } },
      }),
    ),
  );

@ApiTags('Pictures')
@Controller('api/v3')
export class PicturesController {
  constructor(private readonly pictures: PicturesService) {}

  @Get('picture-types')
  @ApiOperation({ summary: 'List picture types', description: 'The catalogue of types, with labels and gallery positions.' })
  @ApiListDocs(PictureTypeView)
  types() {
    return this.pictures.listTypes();
  }

  @Get('picture-types/:code')
  @ApiOperation({ summary: 'Get a picture type', description: 'One type of the catalogue by its code, e.g. `exterior_front`.' })
  @ApiItemDocs(PictureTypeView)
  type(@Param('code') code: string) {
    return this.pictures.getType(code);
  }

  @Get('trade-ins/:id/pictures')
  @ApiOperation({ summary: 'List the pictures of a trade-in', description: "Typed pictures by their type's gallery position, then untyped ones in upload order." })
  @ApiListDocs(PictureView, 200, 'The whole list.', true)
  @ApiVersionedList(false)
  @ApiParentNotFound('The trade-in')
  list(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.pictures.list(p, id);
  }

  @Get('trade-ins/:id/pictures/:pictureId')
  @ApiOperation({ summary: 'Get one picture of a trade-in', description: 'One picture with its gallery position.' })
  @ApiItemDocs(PictureView)
  get(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Param('pictureId', ParseIdPipe) pictureId: number) {
    return this.pictures.get(p, id, pictureId);
  }

  @Post('trade-ins/:id/pictures')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Upload pictures — adding only',
    description:
      'Adds the pictures. A typed picture whose type is already in the gallery is ignored (use PATCH to replace). Untyped pictures go to the end. Answers with the whole gallery. At most 100 pictures per trade-in; all or nothing.',
  })
  @ApiBody({ type: [PictureInput], examples: { seed: { summary: 'The seed example', value: POST_EXAMPLE } } })
  @ApiArrayWriteErrors()
  @ApiListDocs(PictureView, 200, 'The whole gallery after the upload.', true)
  @ApiVersionedList(true)
  add(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body(new CheckedArrayBody(PictureInput, MAX_PICTURES)) body: CheckedArray<PictureInput>) {
    return this.pictures.add(req, p, id, body);
  }

  @Patch('trade-ins/:id/pictures')
  @ApiOperation({
    summary: 'Upload pictures — add, remove and replace',
    description: "The body becomes the gallery: pictures not in it are removed, new ones added, a type's picture replaced. `[]` removes all. Only one picture per type. All or nothing.",
  })
  @ApiBody({ type: [PictureInput], examples: { seed: { summary: 'The seed example', value: PATCH_EXAMPLE }, empty: { summary: 'Remove all', value: [] } } })
  @ApiArrayWriteErrors()
  @ApiListDocs(PictureView, 200, 'The whole gallery after the change.', true)
  @ApiVersionedList(true)
  replace(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body(new CheckedArrayBody(PictureInput, MAX_PICTURES)) body: CheckedArray<PictureInput>) {
    return this.pictures.replace(req, p, id, body);
  }
}
