import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Config } from '../src/config';

/** A local S3-compatible server (s3rver, in this process, files in a temporary folder) with one bucket. */
export async function startS3(bucket = 'photos'): Promise<{ config: S3Config; close: () => Promise<void> }> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  return {
    // s3rver accepts only its own fixed credentials.
    config: { bucket, endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', prefix: 'photos/', forcePathStyle: true, accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    close: async () => {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
