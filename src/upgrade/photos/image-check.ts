import { Inject, Injectable } from '@nestjs/common';
import type { Sharp, SharpOptions } from 'sharp';
import { ValidationFailed, violation } from '../../common/errors';
import { AppConfig, APP_CONFIG } from '../../config';
import { WorkGate } from '../../common/work-gate';

export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The formats accepted, by sharp's name for them. */
const FORMATS: Record<string, PhotoType> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/**
 * sharp (libvips) is loaded at the first photo, not at start: a server that takes no photos does not
 * carry it (about 11 MB of resident memory). libvips' own operation cache is off: it would keep
 * decoded images of past uploads in memory, and every photo is decoded once.
 */
let sharpLib: Promise<(input: Buffer, options: SharpOptions) => Sharp> | undefined;
function loadSharp(): Promise<(input: Buffer, options: SharpOptions) => Sharp> {
  sharpLib ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false);
    return sharp;
  });
  return sharpLib;
}

const refused = (message: string) => new ValidationFailed([violation('photo', message, 'invalid_format')]);

/**
 * Checks an uploaded photo by decoding it with sharp (libvips), not by its first bytes: a JPEG
 * header followed by HTML, a truncated file or a PNG with a corrupt body is refused (422), and so is
 * an image of more than PHOTO_MAX_PIXELS pixels, read from its header before any pixel is decoded
 * (a small file can declare a huge image: a decompression bomb). sharp runs on libuv's thread pool,
 * off the event loop; at most PHOTO_DECODE_CONCURRENCY photos are decoded at once and
 * PHOTO_DECODE_QUEUE wait (then 503 with Retry-After), so uploads cannot take every thread the
 * file system and DNS share.
 */
@Injectable()
export class ImageCheck {
  private readonly gate: WorkGate;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.gate = new WorkGate(config.photoDecodeConcurrency, config.photoDecodeQueue, 'The server is busy checking photos; try again in a moment.');
  }

  /** The image's type, as decoded; throws the 422 (or 503) to answer. */
  async verify(data: Buffer): Promise<{ contentType: PhotoType; width: number; height: number }> {
    return this.gate.run(async () => {
      const sharp = await loadSharp();
      const maxPixels = this.config.photoMaxPixels;
      // `failOn: 'truncated'`: a truncated or corrupt image fails; the warnings of real cameras' files (extra bytes after the end marker, odd metadata) do not.
      const options = { failOn: 'truncated' as const, limitInputPixels: maxPixels, sequentialRead: true };
      // The header only (no pixel decoded), without the pixel limit: the check below says how large the image is.
      const meta = await sharp(data, { ...options, limitInputPixels: false })
        .metadata()
        .catch(() => null);
      if (!meta) throw refused('photo must be a JPEG, PNG or WebP image: its content is not an image that can be read');
      const contentType = meta.format ? FORMATS[meta.format] : undefined;
      if (!contentType) throw refused(`photo must be a JPEG, PNG or WebP image (checked by its content); this is ${meta.format ? `a ${meta.format.toUpperCase()} image` : 'no image'}`);
      const width = meta.width ?? 0;
      const height = meta.height ?? 0;
      if (width * height > maxPixels) {
        throw refused(`photo is ${width}×${height} pixels (${((width * height) / 1e6).toFixed(1)} megapixels); at most ${(maxPixels / 1e6).toFixed(1)} megapixels are accepted`);
      }
      if ((meta.pages ?? 1) > 1) throw refused('photo must be a single image, not an animation or a multi-page file');
      try {
        // Decodes every pixel (streamed through libvips: the statistics need no full copy of the image).
        await sharp(data, options).stats();
      } catch {
        throw refused(
          `photo must be a JPEG, PNG or WebP image: its header says ${contentType.slice(6).toUpperCase()}, but the image data cannot be decoded (corrupt, truncated or another kind of file)`,
        );
      }
      return { contentType, width, height };
    });
  }
}
