// Errors arrive as the client's ResponseError with Elasticsearch's bodies; monitoring endpoints
// answer the fields exporters read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { errors } from '@elastic/elasticsearch';
import { startServer } from './server.mjs';

let server;
let client;

before(async () => { server = await startServer(); client = server.client(); });
after(async () => { await client?.close(); await server?.stop(); });

async function rejectsWith(promise, status, type) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof errors.ResponseError, String(err));
    assert.equal(err.meta.statusCode, status);
    assert.equal(err.body.error.type, type, JSON.stringify(err.body));
    assert.equal(err.body.status, status);
    assert.ok(Array.isArray(err.body.error.root_cause));
    return true;
  });
}

test('errors are Elasticsearch-shaped', async () => {
  await rejectsWith(client.search({ index: 'missing' }), 404, 'index_not_found_exception');
  await rejectsWith(client.get({ index: 'missing', id: '1' }), 404, 'index_not_found_exception');
  await client.index({ index: 'e', id: '1', document: { n: 1 }, refresh: true });
  await rejectsWith(client.create({ index: 'e', id: '1', document: { n: 2 } }), 409, 'version_conflict_engine_exception');
  await rejectsWith(client.search({ index: 'e', query: { no_such_query: {} } }), 400, 'parsing_exception');
  await rejectsWith(client.search({ index: 'e', from: 9995, size: 10 }), 400, 'search_phase_execution_exception');
  await rejectsWith(client.indices.create({ index: 'Bad' }), 400, 'invalid_index_name_exception');
  await rejectsWith(client.indices.create({ index: 'e' }), 400, 'resource_already_exists_exception');
  const missingDoc = await client.get({ index: 'e', id: 'nope' }, { ignore: [404] });
  assert.equal(missingDoc.found, false);
});

test('cluster, nodes and index stats', async () => {
  await client.index({ index: 'stats', id: '1', document: { name: 'a' }, refresh: true });
  const info = await client.info();
  assert.match(info.version.number, /^8\./);
  const health = await client.cluster.health();
  assert.equal(health.status, 'green');
  const nodes = await client.nodes.stats();
  const node = Object.values(nodes.nodes)[0];
  assert.equal(typeof node.indices.docs.count, 'number');
  assert.ok(node.indices.docs.count >= 1);
  const stats = await client.indices.stats({ index: 'stats' });
  assert.equal(stats.indices.stats.primaries.docs.count, 1);
  const count = await client.cat.count({ index: 'stats', format: 'json' });
  assert.equal(count[0].count, '1');
  const indices = await client.cat.indices({ format: 'json' });
  assert.ok(indices.some((i) => i.index === 'stats' && i['docs.count'] === '1'));
});
