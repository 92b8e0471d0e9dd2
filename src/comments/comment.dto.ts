import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { UserRefView } from '../trade-ins/trade-in.views';

export class CommentInput {
  @ApiProperty({ description: 'The comment text (1–5000 characters).', example: 'Jason said YES', maxLength: 5000 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @IsNotEmpty({ message: 'comment must not be empty' })
  @MaxLength(5000)
  comment: string;
}

export class CommentView {
  @ApiProperty({ description: 'Comment id.', example: 5, type: Number }) id: number;
  @ApiProperty({ description: 'IRI of the comment.', example: '/api/v3/trade-ins/1233/comments/5', type: String }) iri: string;
  @ApiProperty({ description: 'The text.', example: 'Jason said YES', type: String }) comment: string;
  @ApiProperty({ description: 'When it was written.', example: '2024-02-22T11:55:22+00:00', type: String }) createdAt: string;
  @ApiProperty({ description: 'Who wrote it.', type: UserRefView, nullable: true }) createdBy: UserRefView | null;
}
