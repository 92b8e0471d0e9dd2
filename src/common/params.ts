import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { notFound } from './errors';

/** Path identifiers: anything but a positive 32-bit integer is simply not found. */
@Injectable()
export class ParseIdPipe implements PipeTransform<string, number> {
  transform(value: string, _meta: ArgumentMetadata): number {
    if (!/^[1-9][0-9]{0,9}$/.test(value) || Number(value) > 2147483647) throw notFound('Not Found');
    return Number(value);
  }
}
