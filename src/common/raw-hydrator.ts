import { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { DriverUtils } from 'typeorm/driver/DriverUtils';

type Plan = { keys: string[]; columns: ColumnMetadata[]; properties: string[] };
type Raw = Record<string, unknown>;

/**
 * Builds the objects of a SELECT of one entity plus single-valued joins (many-to-one, one-to-one)
 * straight from the raw rows — the same per-column conversion as TypeORM
 * (`driver.prepareHydratedValue`: decimal and JSON transformers, booleans, dates) without its
 * generic result transformer, which was the largest single cost of a collection page (issue 6
 * profile).
 *
 * Only for queries whose joins are all single-valued (one raw row per entity), e.g. the trade-in
 * collection. A joined relation whose primary key is NULL (no match) is left undefined, as TypeORM
 * does. The returned function works out its plan from the first non-empty result and keeps it, so
 * one hydrator serves every execution of the same SQL.
 */
export function rawHydrator<T extends ObjectLiteral>(ds: DataSource, qb: SelectQueryBuilder<T>): (raws: Raw[]) => T[] {
  const driver = ds.driver;
  const main = qb.expressionMap.mainAlias!;
  const joins = qb.expressionMap.joinAttributes
    .filter((j) => j.isSelected && j.relation && (j.relation.isManyToOne || j.relation.isOneToOne) && j.metadata)
    .map((j) => ({ property: j.relation!.propertyName, alias: j.alias.name, columns: j.metadata!.columns }));
  let compiled: { main: Plan; joins: { property: string; plan: Plan; pk: string }[] } | null = null;

  const planOf = (first: Raw, alias: string, columns: ColumnMetadata[]): Plan => {
    const plan: Plan = { keys: [], columns: [], properties: [] };
    for (const column of columns) {
      const key = DriverUtils.buildAlias(driver, undefined, alias, column.databaseName);
      if (!(key in first)) continue;
      plan.keys.push(key);
      plan.columns.push(column);
      plan.properties.push(column.propertyName);
    }
    return plan;
  };
  const fill = (raw: Raw, plan: Plan) => {
    const out: Raw = {};
    for (let i = 0; i < plan.keys.length; i++) out[plan.properties[i]] = driver.prepareHydratedValue(raw[plan.keys[i]], plan.columns[i]);
    return out;
  };

  return (raws) => {
    if (raws.length === 0) return [];
    if (!compiled) {
      const first = raws[0];
      compiled = {
        main: planOf(first, main.name, main.metadata.columns),
        joins: joins
          .map((j) => {
            const plan = planOf(first, j.alias, j.columns);
            const i = plan.columns.findIndex((c) => c.isPrimary);
            return { property: j.property, plan, pk: i < 0 ? '' : plan.keys[i] };
          })
          .filter((j) => j.plan.keys.length > 0 && j.pk),
      };
    }
    const { main: mainPlan, joins: joinPlans } = compiled;
    return raws.map((raw) => {
      const entity = fill(raw, mainPlan);
      for (const j of joinPlans) if (raw[j.pk] !== null && raw[j.pk] !== undefined) entity[j.property] = fill(raw, j.plan);
      return entity as T;
    });
  };
}

/** Runs the query and hydrates its rows with a one-off rawHydrator. */
export async function getManyFast<T extends ObjectLiteral>(ds: DataSource, qb: SelectQueryBuilder<T>): Promise<T[]> {
  return rawHydrator(ds, qb)(await qb.getRawMany());
}
