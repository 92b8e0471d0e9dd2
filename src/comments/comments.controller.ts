import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth, Principal } from '../common/principal';
import { ApiItemDocs, ApiListDocs, ApiParentNotFound, ApiVersionedList } from '../common/openapi.decorators';
import { ParseIdPipe } from '../common/params';
import { ArrayBody } from '../common/validation.pipe';
import { ApiArrayWriteErrors } from '../pictures/pictures.controller';
import { CommentInput, CommentView } from './comment.dto';
import { CommentsService, MAX_COMMENTS_PER_REQUEST } from './comments.service';

@ApiTags('Comments')
@Controller('api/v3/trade-ins/:id/comments')
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Get()
  @ApiOperation({ summary: 'List the comments of a trade-in', description: 'All comments in the order they were added. `ETag` versions the whole list for If-Match on its writes.' })
  @ApiListDocs(CommentView, 200, 'The whole list.', true)
  @ApiVersionedList(false)
  @ApiParentNotFound('The trade-in')
  list(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number) {
    return this.comments.list(p, id);
  }

  @Get(':commentId')
  @ApiOperation({ summary: 'Get one comment', description: 'One comment of the trade-in with its author.' })
  @ApiItemDocs(CommentView)
  get(@Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Param('commentId', ParseIdPipe) commentId: number) {
    return this.comments.get(p, id, commentId);
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Add comments', description: 'Appends the comments (an array). Answers with all the comments, not just the added ones. Comments stay writable after done.' })
  @ApiBody({ type: [CommentInput], examples: { seed: { summary: 'The seed example', value: [{ comment: 'Jason said YES' }, { comment: 'Dave said NO' }] } } })
  @ApiArrayWriteErrors()
  @ApiListDocs(CommentView, 200, 'All comments after the change.', true)
  @ApiVersionedList(true)
  add(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body(new ArrayBody(CommentInput, MAX_COMMENTS_PER_REQUEST)) items: CommentInput[]) {
    return this.comments.write(req, p, id, items, false);
  }

  @Patch()
  @ApiOperation({ summary: 'Replace all comments', description: 'The body replaces every existing comment; `[]` removes all.' })
  @ApiBody({ type: [CommentInput], examples: { seed: { summary: 'The seed example', value: [{ comment: 'Jason said NO' }, { comment: 'Dave said YES' }] } } })
  @ApiArrayWriteErrors()
  @ApiListDocs(CommentView, 200, 'All comments after the change.', true)
  @ApiVersionedList(true)
  replace(@Req() req: Request, @Auth() p: Principal, @Param('id', ParseIdPipe) id: number, @Body(new ArrayBody(CommentInput, MAX_COMMENTS_PER_REQUEST)) items: CommentInput[]) {
    return this.comments.write(req, p, id, items, true);
  }
}
