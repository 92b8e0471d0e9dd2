import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Config } from '../src/config';
import { LocalDiskStorage, PhotoStorage } from '../src/upgrade/photos/photo.storage';
import { S3PhotoStorage } from '../src/upgrade/photos/s3-photo.storage';
import { startS3 } from './s3';

/** The PhotoStorage contract, for local disk and for S3-compatible storage (a local s3rver). */
function behavesAsPhotoStorage(make: () => PhotoStorage) {
  let storage: PhotoStorage;
  let n = 0;
  const key = () => `${7 + (n % 2)}/photo_test${++n}_${Date.now()}`;
  beforeAll(() => (storage = make()));

  it('returns the bytes that were put', async () => {
    const k = key();
    const data = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3, 255, 0]);
    await storage.put(k, data);
    expect((await storage.get(k))?.equals(data)).toBe(true);
  });

  it('answers null for a key that was never stored, and after delete', async () => {
    const k = key();
    expect(await storage.get(k)).toBeNull();
    await storage.put(k, Buffer.from('x'));
    await storage.delete(k);
    expect(await storage.get(k)).toBeNull();
    await storage.delete(k); // deleting twice is harmless
  });

  it('refuses keys that are not {tenantId}/photo_…', async () => {
    for (const bad of ['../etc/passwd', '1/../../x', '1/photo_a/../../b', 'photo_a', '1/notaphoto']) {
      await expect(storage.put(bad, Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
      await expect(storage.get(bad)).rejects.toThrow(/invalid storage key/);
    }
  });
}

describe('LocalDiskStorage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'photos-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  behavesAsPhotoStorage(() => new LocalDiskStorage(dir));
});

describe('S3PhotoStorage (s3rver)', () => {
  let s3: { config: S3Config; close: () => Promise<void> };
  const storages: S3PhotoStorage[] = [];
  const make = (config: S3Config) => {
    const storage = new S3PhotoStorage(config);
    storages.push(storage);
    return storage;
  };
  beforeAll(async () => (s3 = await startS3()));
  afterAll(async () => {
    for (const storage of storages) storage.onApplicationShutdown();
    await s3.close();
  });

  describe('contract', () => behavesAsPhotoStorage(() => make(s3.config)));

  it('stores each photo as one object named S3_PREFIX + key', async () => {
    await make(s3.config).put('3/photo_named', Buffer.from('bytes'));
    const raw = new S3Client({ region: 'us-east-1', endpoint: s3.config.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      const object = await raw.send(new GetObjectCommand({ Bucket: 'photos', Key: 'photos/3/photo_named' }));
      expect(Buffer.from(await object.Body!.transformToByteArray()).toString()).toBe('bytes');
    } finally {
      raw.destroy();
    }
  });

  it('fails an upload loudly when the bucket does not exist', async () => {
    await expect(make({ ...s3.config, bucket: 'no-such-bucket' }).put('1/photo_x', Buffer.from('x'))).rejects.toThrow(/bucket/i);
  });
});
