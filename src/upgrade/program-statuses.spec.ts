import { CONTRACT_CORE_MOVES } from '../trade-ins/entry-requirements.spec-support';
import { StatusMachine } from '../trade-ins/status-machine';
import { TradeInStatus } from '../trade-ins/trade-in.entity';
import { ProgramTradeInRules } from './program-facts.extension';
import { PROGRAMME_STATUSES } from './program-statuses';

/*
 * The status machine as the application runs it: the core's table with the programme's statuses
 * registered (as UpgradeModule does). Transcribed from the contract and the programme's document,
 * not from either table:
 *
 * ../shared/spec/trade-in-api.md §3: "Allowed moves: draft → ready_for_appraisal → done →
 * sent_to_customer → purchase_agreement; ready_for_appraisal → draft; done → draft (reopen);
 * sent_to_customer → done (revise the offer); any status → no_deal; no_deal → draft (reopen).
 * Anything else → 409."
 *
 * docs/upgrade-module.md (the programme's logistics): "purchase_agreement → shipped → received →
 * inspected → completed. Every status except completed may still go to no_deal. completed is terminal."
 */
const STATUSES: TradeInStatus[] = ['not_done', 'ready_for_appraisal', 'done', 'sent_to_customer', 'purchase_agreement', 'no_deal', 'shipped', 'received', 'inspected', 'completed'];

const SPEC_MOVES: [TradeInStatus, TradeInStatus][] = [
  ...CONTRACT_CORE_MOVES,
  ['purchase_agreement', 'shipped'],
  ['shipped', 'received'],
  ['received', 'inspected'],
  ['inspected', 'completed'],
  ...STATUSES.filter((s) => s !== 'no_deal' && s !== 'completed').map((s): [TradeInStatus, TradeInStatus] => [s, 'no_deal']),
];

const machine = new StatusMachine([PROGRAMME_STATUSES], [new ProgramTradeInRules()]);
const allowed = new Set(SPEC_MOVES.map(([from, to]) => `${from}>${to}`));
const PAIRS = STATUSES.flatMap((from) => STATUSES.filter((to) => to !== from).map((to) => [from, to, allowed.has(`${from}>${to}`) ? 'allowed' : 'refused (409)'] as const));

describe('status machine with the programme: moves', () => {
  it('knows the ten statuses of the contract and the programme, the programme’s after the core’s', () => {
    expect(machine.statuses).toEqual(STATUSES);
  });

  // A move to the current status is the service's no-op 200 (tested end to end), not a move of the table.
  it.each(PAIRS)('%s → %s is %s', (from, to, expected) => {
    expect(machine.canMove(from, to)).toBe(expected === 'allowed');
  });

  it('maps the route slugs of the contract and the programme to entity statuses, in this order', () => {
    expect(Object.entries(machine.slugs)).toEqual([
      ['draft', 'not_done'],
      ['ready-for-appraisal', 'ready_for_appraisal'],
      ['done', 'done'],
      ['sent-to-customer', 'sent_to_customer'],
      ['purchase-agreement', 'purchase_agreement'],
      ['no-deal', 'no_deal'],
      ['shipped', 'shipped'],
      ['received', 'received'],
      ['inspected', 'inspected'],
      ['completed', 'completed'],
    ]);
  });

  it('locks done, sent_to_customer, purchase_agreement and every logistics status', () => {
    const locked = ['done', 'sent_to_customer', 'purchase_agreement', 'shipped', 'received', 'inspected', 'completed'];
    for (const s of STATUSES) expect([s, machine.isLocked(s)]).toEqual([s, locked.includes(s)]);
  });

  it('reopens a logistics status through no-deal, and never a completed one', () => {
    for (const s of ['shipped', 'received', 'inspected'] as const) expect([s, machine.reopenRoutes(s)]).toEqual([s, ['no-deal', 'draft']]);
    expect(machine.reopenRoutes('completed')).toBeNull();
    expect(machine.reopenAdvice('completed', 9)).toBe('A completed trade-in cannot be reopened.');
  });
});
