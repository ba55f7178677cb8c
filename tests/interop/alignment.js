'use strict';
// The AlignmentService from another gRPC implementation (@grpc/grpc-js + @grpc/proto-loader loading
// proto/okr/alignment/v1 as it is), against a real `okr serve` on 127.0.0.1:<port>.
// Usage: node alignment.js <case> <port> <conformance-dir>. Exit 0 and "PASS" on success.
const path = require('path');
const assert = require('assert');
const crypto = require('crypto');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const protoRoot = path.join(__dirname, '..', '..', 'proto');
const options = { includeDirs: [protoRoot], keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };
const v1 = grpc.loadPackageDefinition(loader.loadSync('okr/alignment/v1/alignment_service.proto', options)).okr.alignment.v1;

const [, , caseName, port] = process.argv;
const client = new v1.AlignmentService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
const asOf = { year: 2026, month: 11, day: 15 };
const tenant = `tenants/js-${caseName}-${process.pid}`;

const call = (method, request) => new Promise((resolve, reject) =>
  client[method](request, (err, response) => (err ? reject(err) : resolve(response))));

const objective = (id, level, parents = []) => ({
  goal_id: id, type: 'GOAL_TYPE_OBJECTIVE', level, parents: parents.map((p) => ({ parent_goal_id: p })),
});
const keyResult = (id, parent, start, target, current) => ({
  goal_id: id, type: 'GOAL_TYPE_KEY_RESULT', parents: [{ parent_goal_id: parent }],
  metric: { direction: 'METRIC_DIRECTION_INCREASE', start, target, current },
});
const upsert = (goal) => ({ upsert_goal: goal });
const checkIn = (id, value) => ({ check_in: { goal_id: id, value } });

async function seed() {
  return call('ApplyChanges', {
    parent: tenant, as_of: asOf,
    changes: [upsert(objective('C1', 'GOAL_LEVEL_COMPANY')), upsert(keyResult('KR1', 'C1', 0, 10, 5)), upsert(keyResult('KR2', 'C1', 0, 10, 0))],
  });
}

const cases = {
  // The 02 conformance vector, written by hand as a client would send it.
  'validate-tree': async () => {
    const period = { range: { start: { year: 2026, month: 10, day: 1 }, end: { year: 2026, month: 12, day: 31 } } };
    const goals = [
      objective('C1', 'GOAL_LEVEL_COMPANY'),
      { ...objective('C2', 'GOAL_LEVEL_COMPANY'), state: 'GOAL_STATE_ARCHIVED' },
      keyResult('C1.KR1', 'C1', 0, 100, 25),
      keyResult('C2.KR1', 'C2', 0, 100, 90),
      objective('OPS', 'GOAL_LEVEL_DEPARTMENT', ['C2']),
      keyResult('OPS.KR1', 'OPS', 0, 10, 5),
      objective('LONE', 'GOAL_LEVEL_TEAM'),
    ];
    const response = await call('ValidateTree', { tree: { settings: { default_period: period }, goals }, as_of: asOf });
    assert.strictEqual(response.valid, true);
    assert.deepStrictEqual(response.goals.map((g) => g.goal_id), ['C1', 'C1.KR1', 'C2', 'C2.KR1', 'LONE', 'OPS', 'OPS.KR1']);
    const c2 = response.goals.find((g) => g.goal_id === 'C2');
    assert.ok(Math.abs(c2.progress - 0.7) < 1e-9, `C2 is the mean of C2.KR1 (0.9) and OPS (0.5), not ${c2.progress}`);
    assert.strictEqual(c2.health, 'HEALTH_INACTIVE');
    assert.ok(Math.abs(response.goals[0].expected - 0.4891304347826087) < 1e-9);
    assert.deepStrictEqual(
      response.findings.map((f) => `${f.code} ${f.goal_id} [${f.related_goal_ids.join(',')}]`),
      ['FINDING_CODE_EXCLUDED_PARENT C2.KR1 [C2]', 'FINDING_CODE_EXCLUDED_PARENT OPS [C2]', 'FINDING_CODE_ORPHANED_GOAL C2.KR1 []',
        'FINDING_CODE_ORPHANED_GOAL LONE []', 'FINDING_CODE_ORPHANED_GOAL OPS []', 'FINDING_CODE_ORPHANED_GOAL OPS.KR1 []',
        'FINDING_CODE_UNSUPPORTED_GOAL LONE []']);
  },

  'apply-changes': async () => {
    const seeded = await seed();
    const response = await call('ApplyChanges', { parent: tenant, as_of: asOf, expected_version: seeded.version, changes: [checkIn('KR2', 10)] });
    assert.strictEqual(response.version, seeded.version + 1);
    assert.deepStrictEqual(response.outcome.goals.map((g) => [g.goal_id, g.before.progress, g.after.progress]), [['C1', 0.25, 0.75], ['KR2', 0, 1]]);
    // The same expected_version again: somebody else already wrote on top of it.
    const stale = await call('ApplyChanges', { parent: tenant, expected_version: seeded.version, changes: [checkIn('KR1', 1)] })
      .then(() => null, (err) => err);
    assert.ok(stale, 'a stale expected_version must be refused');
    assert.strictEqual(stale.code, grpc.status.ABORTED);
    // A cycle is refused with FAILED_PRECONDITION and the finding in grpc-status-details-bin.
    const cycle = await call('ApplyChanges', { parent: tenant, changes: [{ add_edge: { goal_id: 'C1', link: { parent_goal_id: 'KR1' } } }] })
      .then(() => null, (err) => err);
    assert.strictEqual(cycle.code, grpc.status.FAILED_PRECONDITION);
    assert.ok(cycle.metadata.get('grpc-status-details-bin').length === 1, 'rich status details are sent');
    assert.match(cycle.details, /cycle/);
  },

  // A write with a request_id (AIP-155), sent twice: one change, the same answer; the id with another value is refused.
  'idempotent-retry': async () => {
    const seeded = await seed();
    const request = { parent: tenant, request_id: crypto.randomUUID(), check_ins: [{ goal_id: 'KR2', value: 7 }] };
    const first = await call('RecordCheckIns', request);
    const retried = await call('RecordCheckIns', request);
    assert.strictEqual(first.version, seeded.version + 1);
    assert.deepStrictEqual(retried, first);
    const reused = await call('RecordCheckIns', { ...request, check_ins: [{ goal_id: 'KR2', value: 8 }] }).then(() => null, (err) => err);
    assert.ok(reused, 'the same request_id with another request must be refused');
    assert.strictEqual(reused.code, grpc.status.INVALID_ARGUMENT);
    assert.match(reused.details, /^request_id: /);
    const goal = await call('GetGoal', { name: `${tenant}/goals/KR2` });
    assert.strictEqual(goal.version, seeded.version + 1, 'one write');
    assert.strictEqual(goal.goal.metric.current, 7);
  },

  'get-rollup': async () => {
    await seed();
    // A fixed as_of, as the README's example has it: it says when pace and health are judged, on any day.
    const rollup = await call('GetRollup', { name: `${tenant}/goals/C1`, as_of: asOf });
    assert.strictEqual(rollup.source, 'children');
    assert.ok(Math.abs(rollup.status.progress - 0.25) < 1e-12);
    assert.deepStrictEqual(rollup.contributions.map((c) => [c.child.goal_id, c.weight, c.share]), [['KR1', 1, 0.25], ['KR2', 1, 0]]);
    const missing = await call('GetRollup', { name: `${tenant}/goals/NOPE` }).then(() => null, (err) => err);
    assert.strictEqual(missing.code, grpc.status.NOT_FOUND);
  },

  'watch-rollups': async () => {
    const seeded = await seed();
    await call('ApplyChanges', { parent: tenant, as_of: asOf, changes: [checkIn('KR1', 6)] });
    // Resume from the seed's version: the change above first, then one made while watching.
    const stream = client.WatchRollups({ parent: tenant, since_version: seeded.version });
    const seen = [];
    await new Promise((resolve, reject) => {
      stream.on('data', (event) => {
        seen.push(event);
        if (seen.length === 1) call('ApplyChanges', { parent: tenant, as_of: asOf, changes: [checkIn('KR2', 4)] }).catch(reject);
        if (seen.length === 2) { stream.cancel(); resolve(); }
      });
      stream.on('error', (err) => { if (err.code !== grpc.status.CANCELLED) reject(err); });
    });
    assert.deepStrictEqual(seen.map((e) => e.version), [seeded.version + 1, seeded.version + 2]);
    assert.deepStrictEqual(seen[1].outcome.goals.map((g) => g.goal_id), ['C1', 'KR2']);
  },
};

const run = cases[caseName];
if (!run) { console.error(`unknown case ${caseName}; cases: ${Object.keys(cases).join(', ')}`); process.exit(2); }
const timer = setTimeout(() => { console.error('timed out'); process.exit(1); }, 20000);
run().then(() => { clearTimeout(timer); console.log('PASS'); process.exit(0); }, (err) => { console.error(err.stack || err); process.exit(1); });
