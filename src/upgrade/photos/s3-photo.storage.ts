import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { OnApplicationShutdown } from '@nestjs/common';
import type { S3Config } from '../../config';
import { PhotoStorage, STORAGE_KEY } from './photo.storage';

/**
 * Photo bytes as objects in an S3-compatible bucket (PHOTO_STORAGE=s3), so that every instance
 * serves every photo. Objects are named `S3_PREFIX{tenantId}/{photo id}`; the content type stays in
 * the database row (sniffed at upload), so objects need no metadata.
 */
export class S3PhotoStorage implements PhotoStorage, OnApplicationShutdown {
  private readonly client: S3Client;

  constructor(private readonly s3: S3Config) {
    this.client = new S3Client({
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: s3.forcePathStyle,
      credentials: s3.accessKeyId && s3.secretAccessKey ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } : undefined,
      // Bounded: an unreachable store fails the upload or download instead of holding the request.
      requestHandler: { connectionTimeout: 3000, requestTimeout: 30_000 },
      maxAttempts: 3,
      // The SDK's default CRC checksums on every request are refused by several S3-compatible servers; AWS itself keeps them.
      ...(s3.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
    });
  }

  private key(key: string): string {
    if (!STORAGE_KEY.test(key)) throw new Error('invalid storage key');
    return `${this.s3.prefix}${key}`;
  }

  async put(key: string, data: Buffer): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.s3.bucket, Key: this.key(key), Body: data, ContentLength: data.length }));
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.s3.bucket, Key: this.key(key) }));
      return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : null;
    } catch (e) {
      const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return null;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.s3.bucket, Key: this.key(key) }));
  }

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
