import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { ApiKey } from './api-key.entity';

/** The SQL of the API key lookup (every uncached authenticated request) and of its lastUsedAt. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly ds: DataSource) {}

  /** The unrevoked key with this hash, with its user (an index seek on key_hash). */
  activeByHash(keyHash: string): Promise<ApiKey | null> {
    return this.ds.getRepository(ApiKey).findOne({ where: { keyHash, revokedAt: IsNull() }, relations: { user: true } });
  }

  async touch(id: number, at: Date): Promise<void> {
    await this.ds.getRepository(ApiKey).update({ id }, { lastUsedAt: at });
  }
}
