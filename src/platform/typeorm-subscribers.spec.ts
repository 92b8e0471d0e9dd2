import { DataSource, EntitySubscriberInterface, InsertEvent, RemoveEvent, TransactionCommitEvent, TransactionRollbackEvent, UpdateEvent } from 'typeorm';
import { AppConfig } from '../config';
import { Customer } from '../customers/customer.entity';
import { insertRow } from '../database/tx.service';
import { TradeInCounts } from '../trade-ins/trade-in-counts';
import { TradeIn } from '../trade-ins/trade-in.entity';
import { migratedDataSource } from '../../test/data-source';

/*
 * Tripwire: TradeInCounts (src/trade-ins/trade-in-counts.ts) pushes itself into
 * DataSource.subscribers after Nest's TypeOrmModule has built the data source, and drops the cached
 * collection totals on every insert/update/delete of trade_ins and again on commit. That holds while
 * TypeORM reads that array at each broadcast, broadcasts the write kinds the app uses on trade_ins
 * (repository save, update and delete by criteria, query-builder update), and hands the same
 * queryRunner (with its `data`) to the statement's event and to the commit/rollback event.
 * insertRow (a plain INSERT outside TypeORM's persistence) broadcasts afterInsert itself, with the
 * same queryRunner, so no caller has to remember the cache.
 */
type Heard = { event: string; entity?: string; runner?: unknown; data?: Record<string, unknown> };

class Recorder implements EntitySubscriberInterface<TradeIn> {
  heard: Heard[] = [];
  listenTo() {
    return TradeIn;
  }
  afterInsert(e: InsertEvent<TradeIn>) {
    this.heard.push({ event: 'afterInsert', entity: e.metadata.name, runner: e.queryRunner });
    if (e.queryRunner.isTransactionActive) e.queryRunner.data.marked = true;
  }
  afterUpdate(e: UpdateEvent<TradeIn>) {
    this.heard.push({ event: 'afterUpdate', entity: e.metadata.name, runner: e.queryRunner });
  }
  afterRemove(e: RemoveEvent<TradeIn>) {
    this.heard.push({ event: 'afterRemove', entity: e.metadata.name, runner: e.queryRunner });
  }
  afterTransactionCommit(e: TransactionCommitEvent) {
    this.heard.push({ event: 'afterTransactionCommit', runner: e.queryRunner, data: { ...e.queryRunner.data } });
  }
  afterTransactionRollback(e: TransactionRollbackEvent) {
    this.heard.push({ event: 'afterTransactionRollback', runner: e.queryRunner, data: { ...e.queryRunner.data } });
  }
}

let ds: DataSource;
let tenantId: number;
let close: () => Promise<void>;
const recorder = new Recorder();
let counts: TradeInCounts;

beforeAll(async () => {
  ({ ds, tenantId, close } = await migratedDataSource('subscribers'));
  // as the app does: after the data source exists
  ds.subscribers.push(recorder);
  counts = new TradeInCounts(ds, { countCacheSeconds: 3600 } as AppConfig);
});
afterAll(() => close?.());
beforeEach(() => (recorder.heard = []));

const now = new Date('2024-01-31T10:00:00Z');
const newTradeIn = () => ds.getRepository(TradeIn).create({ tenantId, status: 'not_done', vmVehicleType: 'PC', createdAt: now, updatedAt: now, version: 1 });
const events = () => recorder.heard.map((h) => h.event);
// save() opens a transaction of its own, so commits are heard around single writes too
const entityEvents = () => events().filter((e) => !e.startsWith('afterTransaction'));
/** The cached total (counts of this small table always finish within the statement budget). */
const total = async (): Promise<number> => {
  const [sql, params] = ds.driver.escapeQueryWithParameters('SELECT COUNT(1) AS cnt FROM trade_ins WHERE tenant_id = :tenantId', { tenantId }, {});
  const n = await counts.count(sql, params);
  if (n === null) throw new Error('the total was not counted within the statement budget');
  return n;
};

describe('tripwire: a subscriber pushed into DataSource.subscribers', () => {
  it('is an array on the initialized data source, read when TypeORM broadcasts', async () => {
    expect(Array.isArray(ds.subscribers)).toBe(true);
    await ds.getRepository(TradeIn).save(newTradeIn());
    expect(entityEvents()).toEqual(['afterInsert']);
  });

  it('hears every write kind the app uses on trade_ins, and only those of its entity', async () => {
    const t = await ds.getRepository(TradeIn).save(newTradeIn());
    await ds.getRepository(TradeIn).update({ id: t.id, tenantId }, { note: 'by criteria' });
    await ds.createQueryBuilder().update(TradeIn).set({ note: 'by query builder' }).where('id = :id', { id: t.id }).execute();
    t.note = 'by save';
    await ds.getRepository(TradeIn).save(t);
    await ds.getRepository(TradeIn).delete({ id: t.id, tenantId });
    await ds.getRepository(Customer).save({ tenantId, lastName: 'Other entity', createdAt: now, updatedAt: now });
    expect(entityEvents()).toEqual(['afterInsert', 'afterUpdate', 'afterUpdate', 'afterUpdate', 'afterRemove']);
    expect(recorder.heard.filter((h) => h.entity).every((h) => h.entity === 'TradeIn')).toBe(true);
  });

  it('inside a transaction, hands the statement’s queryRunner, with its data, to the commit event', async () => {
    await ds.transaction(async (em) => {
      await em.getRepository(TradeIn).save(newTradeIn());
    });
    expect(events()).toEqual(['afterInsert', 'afterTransactionCommit']);
    const [insert, commit] = recorder.heard;
    expect(commit.runner).toBe(insert.runner);
    expect(commit.data).toMatchObject({ marked: true });
  });

  it('reports a rollback to the same queryRunner', async () => {
    await expect(
      ds.transaction(async (em) => {
        await em.getRepository(TradeIn).save(newTradeIn());
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(events()).toEqual(['afterInsert', 'afterTransactionRollback']);
    expect(recorder.heard[1].runner).toBe(recorder.heard[0].runner);
  });

  it('is told of insertRow’s plain INSERT like of any insert, on the same queryRunner as the commit', async () => {
    await ds.transaction((em) => insertRow(em, TradeIn, { ...newTradeIn() }));
    expect(events()).toEqual(['afterInsert', 'afterTransactionCommit']);
    expect(recorder.heard[1].runner).toBe(recorder.heard[0].runner);
    expect(recorder.heard[1].data).toMatchObject({ marked: true });
  });

  it('is not told of insertRow’s INSERT into a table it does not listen to', async () => {
    await ds.transaction((em) => insertRow(em, Customer, { tenantId, lastName: 'Other', createdAt: new Date(), updatedAt: new Date() }));
    expect(events()).toEqual(['afterTransactionCommit']);
  });
});

describe('tripwire: the count cache follows every write kind', () => {
  it('recounts after a save, an insertRow (no call to changed()), an update by criteria and deletes', async () => {
    const writes: [string, () => Promise<unknown>, number][] = [
      ['save', () => ds.getRepository(TradeIn).save(newTradeIn()), 1],
      ['insertRow', () => ds.transaction((em) => insertRow(em, TradeIn, { ...newTradeIn() })), 1],
      ['update by criteria', () => ds.getRepository(TradeIn).update({ tenantId, status: 'not_done' }, { status: 'no_deal' }), 0],
      ['query-builder delete', () => ds.createQueryBuilder().delete().from(TradeIn).where('tenant_id = :tenantId AND status = :s', { tenantId, s: 'never' }).execute(), 0],
      ['delete by criteria', () => ds.getRepository(TradeIn).delete({ tenantId, status: 'no_deal' }), -Infinity],
    ];
    for (const [name, write, delta] of writes) {
      const before = await total();
      expect(await total()).toBe(before); // served from the cache now
      await write();
      const actual = Number(
        (await ds.query<{ cnt: number | string }[]>(...ds.driver.escapeQueryWithParameters('SELECT COUNT(1) AS cnt FROM trade_ins WHERE tenant_id = :tenantId', { tenantId }, {})))[0].cnt,
      );
      expect([name, await total()]).toEqual([name, actual]);
      if (delta !== -Infinity) expect(actual).toBe(before + delta);
    }
    expect(await total()).toBe(0);
  });

  it('does not keep a total counted inside a transaction, before its commit', async () => {
    const before = await total();
    await ds.transaction(async (em) => {
      await em.getRepository(TradeIn).save(newTradeIn());
      // a concurrent reader counts (outside the transaction) before the commit
      await total();
    });
    expect(await total()).toBe(before + 1);
  });
});
