// registry_clients.js URL: two real schema registry clients against
// mesh-devkafka's registry (docs/registry.md): Confluent's
// @confluentinc/schemaregistry and @kafkajs/confluent-schema-registry
// register, fetch by id and by subject, set compatibility levels (per
// subject and global) and test compatibility. Each step is asserted; prints
// "ok N steps" and exits 0, or the failed step and exits 1.
'use strict';
const assert = require('assert');
const {SchemaRegistryClient, Compatibility} = require('@confluentinc/schemaregistry');
const {SchemaRegistry, SchemaType} = require('@kafkajs/confluent-schema-registry');

const url = process.argv[2];
let steps = 0;

function record(name, fields) {
  return JSON.stringify({type: 'record', name, namespace: 'sales.orders', fields});
}
const v1 = record('Order', [{name: 'id', type: 'string'}, {name: 'qty', type: 'int'}]);
// v2 adds a field with a default (BACKWARD and FORWARD compatible) and
// widens qty to long (BACKWARD only: an old reader cannot read a long).
const v2 = record('Order', [
  {name: 'id', type: 'string'},
  {name: 'qty', type: 'long'},
  {name: 'note', type: ['null', 'string'], default: null},
]);
// v3 adds a required field: a v3 reader cannot read v2's data.
const v3 = record('Order', [
  {name: 'id', type: 'string'},
  {name: 'qty', type: 'long'},
  {name: 'note', type: ['null', 'string'], default: null},
  {name: 'region', type: 'string'},
]);

async function step(what, fn) {
  try {
    await fn();
    steps++;
  } catch (e) {
    console.log(`FAIL ${what}: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  }
}

async function rejects(promise, status) {
  let failed = null;
  try {
    await promise;
  } catch (e) {
    failed = e;
  }
  assert.ok(failed, 'expected a refusal');
  const got = failed.status || (failed.response && failed.response.status) || failed.code;
  if (status) assert.strictEqual(got, status, `status ${got}: ${failed.message}`);
}

async function confluent() {
  const client = new SchemaRegistryClient({baseURLs: [url]});
  const subject = 'orders-value';
  const avro = (schema) => ({schemaType: 'AVRO', schema});
  let id1, id2;
  await step('register v1', async () => {
    id1 = await client.register(subject, avro(v1));
    assert.ok(Number.isInteger(id1) && id1 > 0);
  });
  await step('register v1 again: the same id', async () => {
    const again = new SchemaRegistryClient({baseURLs: [url]});
    assert.strictEqual(await again.register(subject, avro(v1)), id1);
  });
  await step('fetch by subject and id', async () => {
    const info = await client.getBySubjectAndId(subject, id1);
    assert.deepStrictEqual(JSON.parse(info.schema), JSON.parse(v1));
  });
  await step('latest metadata', async () => {
    const meta = await client.getLatestSchemaMetadata(subject);
    assert.strictEqual(meta.id, id1);
    assert.strictEqual(meta.version, 1);
    assert.strictEqual(meta.subject, subject);
  });
  await step('subject compatibility BACKWARD', async () => {
    assert.strictEqual(await client.updateCompatibility(subject, Compatibility.BACKWARD), 'BACKWARD');
    assert.strictEqual(await client.getCompatibility(subject), 'BACKWARD');
  });
  await step('test v2 against latest: compatible', async () => {
    assert.strictEqual(await client.testSubjectCompatibility(subject, avro(v2)), true);
  });
  await step('register v2', async () => {
    id2 = await client.register(subject, avro(v2));
    assert.notStrictEqual(id2, id1);
    assert.deepStrictEqual(await client.getAllVersions(subject), [1, 2]);
  });
  await step('test v3 against version 2: incompatible', async () => {
    assert.strictEqual(await client.testCompatibility(subject, 2, avro(v3)), false);
  });
  await step('register v3: refused with 409', () => rejects(client.register(subject, avro(v3)), 409));
  await step('FORWARD: v1 cannot read v2 (qty widened to long)', async () => {
    await client.updateCompatibility(subject, Compatibility.FORWARD);
    assert.strictEqual(await client.testCompatibility(subject, 1, avro(v2)), false);
    assert.strictEqual(await client.testCompatibility(subject, 2, avro(v3)), true);
  });
  await step('global compatibility FULL_TRANSITIVE', async () => {
    assert.strictEqual(await client.updateDefaultCompatibility(Compatibility.FULL_TRANSITIVE), 'FULL_TRANSITIVE');
    assert.strictEqual(await client.getDefaultCompatibility(), 'FULL_TRANSITIVE');
    await client.updateDefaultCompatibility(Compatibility.BACKWARD);
  });
  await step('an invalid schema: 422', () =>
    rejects(client.register('bad-value', avro('{"type": "record", "name": "X"}')), 422));
  await step('subjects, then delete a version and the subject', async () => {
    assert.ok((await client.getAllSubjects()).includes(subject));
    assert.strictEqual(await client.deleteSubjectVersion(subject, 2, false), 2);
    assert.deepStrictEqual(await client.getAllVersions(subject), [1]);
    assert.deepStrictEqual(await client.deleteSubject(subject, false), [1]);
    assert.ok(!(await client.getAllSubjects()).includes(subject));
  });
}

async function kafkajs() {
  const registry = new SchemaRegistry({host: url});
  const subject = 'customers-value';
  const schema = JSON.stringify({
    type: 'record',
    name: 'Customer',
    namespace: 'sales.customers',
    fields: [{name: 'id', type: 'string'}, {name: 'visits', type: 'long'}],
  });
  let id;
  await step('kafkajs: register', async () => {
    ({id} = await registry.register({type: SchemaType.AVRO, schema}, {subject}));
    assert.ok(Number.isInteger(id) && id > 0);
  });
  await step('kafkajs: latest id by subject, and by version', async () => {
    assert.strictEqual(await registry.getLatestSchemaId(subject), id);
    assert.strictEqual(await registry.getRegistryId(subject, 1), id);
  });
  await step('kafkajs: set the level it asked for', async () => {
    const fresh = new SchemaRegistryClient({baseURLs: [url]});
    assert.strictEqual(await fresh.getCompatibility(subject), 'BACKWARD');
  });
  await step('kafkajs: encode and decode by id (the schema fetched from the registry)', async () => {
    const fresh = new SchemaRegistry({host: url});
    const value = {id: 'c-1', visits: 3};
    const bytes = await registry.encode(id, value);
    assert.strictEqual(bytes[0], 0);
    assert.strictEqual(bytes.readInt32BE(1), id);
    assert.deepStrictEqual({...(await fresh.decode(bytes))}, value);
  });
}

(async () => {
  await confluent();
  await kafkajs();
  console.log(`ok ${steps} steps`);
})();
