import { DataSource } from 'typeorm';

/** Database invariants that must hold after any sequence of requests. Returns the violations found. */
export async function dbInvariants(ds: DataSource): Promise<string[]> {
  const problems: string[] = [];
  const count = async (label: string, sql: string) => {
    const rows = await ds.query<Record<string, unknown>[]>(sql);
    const n = Number(Object.values(rows[0] ?? { n: 0 })[0]);
    if (n !== 0) problems.push(`${label}: ${n}`);
  };
  for (const child of ['trade_in_pictures', 'trade_in_comments', 'trade_in_status_changes']) {
    await count(
      `${child} rows without their trade-in, or of another tenant`,
      `SELECT COUNT(*) AS n FROM ${child} c LEFT JOIN trade_ins t ON t.id = c.trade_in_id WHERE t.id IS NULL OR t.tenant_id <> c.tenant_id`,
    );
  }
  await count(
    'trade-ins referencing a missing or foreign customer',
    'SELECT COUNT(*) AS n FROM trade_ins t LEFT JOIN customers c ON c.id = t.customer_id WHERE t.customer_id IS NOT NULL AND (c.id IS NULL OR c.tenant_id <> t.tenant_id)',
  );
  await count(
    'trade-ins referencing a missing or foreign dealership',
    'SELECT COUNT(*) AS n FROM trade_ins t LEFT JOIN locations l ON l.id = t.dealership_id WHERE t.dealership_id IS NOT NULL AND (l.id IS NULL OR l.tenant_id <> t.tenant_id)',
  );
  await count('API keys of a user of another tenant', 'SELECT COUNT(*) AS n FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.tenant_id <> k.tenant_id');
  await count('idempotency keys left half-written', 'SELECT COUNT(*) AS n FROM idempotency_keys WHERE status_code IS NULL OR response_body IS NULL');
  await count('trade-ins with more than 100 pictures', 'SELECT COUNT(*) AS n FROM (SELECT trade_in_id FROM trade_in_pictures GROUP BY trade_in_id HAVING COUNT(*) > 100) x');
  await count(
    'two pictures of one type on a trade-in',
    'SELECT COUNT(*) AS n FROM (SELECT trade_in_id FROM trade_in_pictures WHERE picture_type_code IS NOT NULL GROUP BY trade_in_id, picture_type_code HAVING COUNT(*) > 1) x',
  );
  await count(
    'trade-ins without a creation history entry',
    'SELECT COUNT(*) AS n FROM trade_ins t WHERE NOT EXISTS (SELECT 1 FROM trade_in_status_changes h WHERE h.trade_in_id = t.id AND h.from_status IS NULL)',
  );
  problems.push(...(await historyChains(ds)));
  return problems;
}

/** Every trade-in's history is a chain: null → s1 → s2 ... and ends at the current status. */
export async function historyChains(ds: DataSource, tradeInIds?: number[]): Promise<string[]> {
  const problems: string[] = [];
  const trades = await ds.query<{ id: number; status: string }[]>('SELECT id, status FROM trade_ins');
  const rows = await ds.query<
    {
      trade_in_id: number;
      from_status: string | null;
      to_status: string;
    }[]
  >('SELECT trade_in_id, from_status, to_status FROM trade_in_status_changes ORDER BY trade_in_id, id');
  const byTrade = new Map<number, typeof rows>();
  for (const r of rows) byTrade.set(Number(r.trade_in_id), [...(byTrade.get(Number(r.trade_in_id)) ?? []), r]);
  for (const t of trades) {
    if (tradeInIds && !tradeInIds.includes(Number(t.id))) continue;
    const h = byTrade.get(Number(t.id)) ?? [];
    let prev: string | null = null;
    for (const [i, r] of h.entries()) {
      if (r.from_status !== prev) problems.push(`trade-in ${t.id}: history entry ${i} goes ${r.from_status} → ${r.to_status} but the previous status was ${prev}`);
      prev = r.to_status;
    }
    if (prev !== t.status) problems.push(`trade-in ${t.id}: status ${t.status} but history ends at ${prev}`);
  }
  return problems;
}
