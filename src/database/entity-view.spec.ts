import { afterAll, describe, expect, it } from '@jest/globals';
import { MikroORM, PostgreSqlDriver, defineEntity, p } from '@mikro-orm/postgresql';
import { moneyColumn } from './money.js';
import { mapRow, viewPlan } from './entity-view.js';

const Owner = defineEntity({
  name: 'ViewSpecOwner',
  tableName: 'view_spec_owners',
  properties: { id: p.uuid().primary() },
});

const Ledger = defineEntity({
  name: 'ViewSpecLedger',
  tableName: 'view_spec_ledgers',
  properties: {
    id: p.uuid().primary(),
    title: p.string().length(20),
    note: p.string().length(20).nullable(),
    amountCents: moneyColumn(),
    dueOn: p.date(),
    paidAt: p.datetime().nullable(),
    urgent: p.boolean(),
    owner: () => p.manyToOne(Owner),
    createdAt: p.datetime(),
    version: p.integer().version(),
  },
});

// Discovery only: nothing connects until a query runs.
const orm = new MikroORM({
  driver: PostgreSqlDriver,
  clientUrl: 'postgres://nobody@127.0.0.1:1/none',
  entities: [Owner, Ledger],
});
const plan = () => viewPlan(orm.getMetadata().get(Ledger), orm.em.getPlatform());
const map = (row: Record<string, unknown>) => mapRow(plan(), row);

describe('a read that follows the entity', () => {
  afterAll(() => orm.close());

  it("selects every column of the entity, by its primary key, in the entity's order", () => {
    expect(plan().selectById).toBe(
      'select "id", "title", "note", "amount_cents", "due_on", "paid_at", "urgent", "owner_id", "created_at", "version" from "view_spec_ledgers" where "id" = ?',
    );
  });

  it('maps the text the connection returns as the entity would hold it: bigint as number, timestamps as dates, a reference as <property>Id', () => {
    expect(
      map({
        id: '0190a1b2-c3d4-7e5f-8a9b-000000000001',
        title: 'Rent',
        note: null,
        amount_cents: '9007199254740991',
        due_on: '2026-12-31',
        paid_at: '2026-12-07 15:04:05.123+00',
        urgent: true,
        owner_id: '0190a1b2-c3d4-7e5f-8a9b-000000000002',
        created_at: '2026-12-01 00:00:00+00',
        version: 3,
      }),
    ).toEqual({
      id: '0190a1b2-c3d4-7e5f-8a9b-000000000001',
      title: 'Rent',
      note: null,
      amountCents: 9007199254740991,
      dueOn: '2026-12-31',
      paidAt: new Date('2026-12-07T15:04:05.123Z'),
      urgent: true,
      ownerId: '0190a1b2-c3d4-7e5f-8a9b-000000000002',
      createdAt: new Date('2026-12-01T00:00:00Z'),
      version: 3,
    });
  });

  it('keeps null as null whatever the type', () => {
    const mapped = map({ paid_at: null, amount_cents: null, owner_id: null });
    expect([mapped.paidAt, mapped.amountCents, mapped.ownerId]).toEqual([null, null, null]);
  });

  it('is built once per entity', () => {
    expect(plan()).toBe(plan());
  });
});
