import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { iriOf } from '../common/iri';
import { ViewField, ViewLeaf, ViewObject } from '../common/row-view';
import { converter } from '../platform/column-conversions';
import { Customer } from '../customers/customer.entity';
import { Location } from '../locations/location.entity';
import { User } from '../auth/user.entity';
import { TradeIn } from './trade-in.entity';
import type { TradeInViewField } from './trade-in.extensions';
import { CONDITION_FIELDS, DEBT_FIELDS, RELATIONS, TOP_FIELDS, VEHICLE_FIELDS } from './trade-in.fields';

/** Query aliases: `t` is the trade-in; every other alias is the relation property of the same name. */
const ENTITY_OF_ALIAS: Record<string, EntityTarget<ObjectLiteral>> = {
  t: TradeIn,
  customer: Customer,
  dealership: Location,
  createdBy: User,
  updatedBy: User,
  reportSignedBy: User,
  doneBy: User,
};
const TYPE_OF_RELATION: Record<string, [type: string, resource: string]> = {
  customer: ['Customer', 'customers'],
  dealership: ['Location', 'locations'],
  createdBy: ['User', 'users'],
  updatedBy: ['User', 'users'],
  reportSignedBy: ['User', 'users'],
  doneBy: ['User', 'users'],
};

/** The query alias → entity of the core's joins and of the extensions' joins. */
export function entityOfAlias(extensions: readonly TradeInViewField[] = []): Record<string, EntityTarget<ObjectLiteral>> {
  return Object.fromEntries([...Object.entries(ENTITY_OF_ALIAS), ...extensions.flatMap((e) => e.joins.map((j): [string, EntityTarget<ObjectLiteral>] => [j.alias, j.entity]))]);
}

/** The trade-in JSON / JSON-LD representation, declared once over the query's columns (see row-view.ts), with the extensions' fields last. */
export function tradeInView(ds: DataSource, extensions: readonly TradeInViewField[] = []): ViewObject {
  const entities = entityOfAlias(extensions);
  const column = (path: string): ViewLeaf => {
    const [alias, property] = path.split('.');
    const meta = ds.getMetadata(entities[alias]).findColumnWithPropertyName(property);
    if (!meta) throw new Error(`No column ${path}`);
    return { kind: 'leaf', name: property, columns: [path], fn: converter(meta) };
  };
  const named = (name: string, leaf: ViewLeaf): ViewLeaf => ({ ...leaf, name });
  const iri = (alias: string, resource: string): ViewLeaf => ({ kind: 'leaf', name: 'iri', columns: [`${alias}.id`], fn: (id: number) => iriOf(resource, id) });
  const fields = (alias: string, table: Record<string, string>): ViewLeaf[] => Object.entries(table).map(([api, prop]) => named(api, column(`${alias}.${prop}`)));
  const nested = (name: string, table: Record<string, string>): ViewObject => ({ kind: 'object', name, fields: fields('t', table) });
  const relation = (name: string): ViewObject => {
    const [type, resource] = TYPE_OF_RELATION[name];
    const link = iri(name, resource);
    const [id, ...rest] = RELATIONS[name].columns.map((c) => column(`${name}.${c}`));
    return { kind: 'object', name, type, iri: link, presentIf: `${name}.id`, fields: [id, link, ...rest] };
  };
  const root: ViewField[] = [
    column('t.id'),
    iri('t', 'trade-ins'),
    column('t.status'),
    ...fields('t', TOP_FIELDS),
    relation('customer'),
    relation('dealership'),
    nested('debtInfo', DEBT_FIELDS),
    nested('vehicleModel', VEHICLE_FIELDS),
    nested('condition', CONDITION_FIELDS),
    column('t.createdAt'),
    relation('createdBy'),
    column('t.updatedAt'),
    relation('updatedBy'),
    column('t.reportSignedAt'),
    relation('reportSignedBy'),
    relation('doneBy'),
    ...extensions.map((e) => e.field(column)),
  ];
  return { kind: 'object', name: 'TradeIn', type: 'TradeIn', iri: root[1] as ViewLeaf, fields: root };
}
