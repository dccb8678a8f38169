// Protocol options the client sends: gzip bodies (compression: true), filter_path, X-Opaque-Id,
// ignore_unavailable, and the compatible-with media type the 8.x client always sends.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';

let server;

before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

test('gzip request and response bodies', async () => {
  const client = server.client({ compression: true });
  try {
    const operations = [];
    for (let i = 0; i < 500; i++) operations.push({ index: { _index: 'gz', _id: String(i) } }, { name: `kitob raqam ${i}` });
    const r = await client.bulk({ operations, refresh: true }, { meta: true });
    assert.equal(r.body.errors, false);
    assert.equal(r.body.items.length, 500);
    assert.equal((await client.count({ index: 'gz' })).count, 500);
    const s = await client.search({ index: 'gz', query: { match: { name: 'kitob' } } }, { meta: true });
    assert.equal(s.headers['content-encoding'], 'gzip');
    assert.equal(s.body.hits.total.value, 500);
  } finally {
    await client.close();
  }
});

test('filter_path, opaque id and pretty', async () => {
  const client = server.client();
  try {
    await client.index({ index: 'fp', id: '1', document: { name: 'olma', price: 5 }, refresh: true });
    const r = await client.search({ index: 'fp', filter_path: 'hits.hits._id,hits.total.value' });
    assert.deepEqual(r, { hits: { total: { value: 1 }, hits: [{ _id: '1' }] } });
    const excluded = await client.search({ index: 'fp', filter_path: '-hits.hits,-_shards,-took,-timed_out' });
    assert.deepEqual(excluded, { hits: { total: { value: 1, relation: 'eq' }, max_score: 1 } });
    const meta = await client.info({}, { opaqueId: 'req-42', meta: true });
    assert.equal(meta.headers['x-opaque-id'], 'req-42');
    assert.equal(meta.headers['x-elastic-product'], 'Elasticsearch');
  } finally {
    await client.close();
  }
});

test('delete with ignore_unavailable makes sure an index is gone', async () => {
  const client = server.client();
  try {
    const r = await client.indices.delete({ index: 'never-created', ignore_unavailable: true });
    assert.equal(r.acknowledged, true);
    await assert.rejects(client.indices.delete({ index: 'never-created' }), (err) => err.meta.statusCode === 404);
    // The client's own idiom: ignore 404.
    const ignored = await client.indices.delete({ index: 'never-created' }, { ignore: [404] });
    assert.equal(ignored.error.type, 'index_not_found_exception');
  } finally {
    await client.close();
  }
});

test('human, error_trace and a search timeout', async () => {
  const client = server.client();
  try {
    await client.index({ index: 'opts', id: '1', document: { name: 'olma' }, refresh: true });
    const stats = await client.indices.stats({ index: 'opts', human: true });
    assert.match(stats.indices.opts.primaries.store.size, /^\d+(\.\d)?(b|kb|mb|gb)$/);
    const r = await client.search({ index: 'opts', timeout: '2s', query: { match: { name: 'olma' } } });
    assert.equal(r.timed_out, false);
    assert.equal(r.hits.total.value, 1);
    await assert.rejects(client.get({ index: 'missing', id: '1', error_trace: true }), (err) => {
      assert.match(err.body.error.stack_trace, /^index_not_found_exception/);
      return true;
    });
  } finally {
    await client.close();
  }
});
