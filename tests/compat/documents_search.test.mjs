// Documents, search, count, aggregations, search_after and mappings through the official client:
// the calls a storefront makes, with Elasticsearch's response shapes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PRODUCTS } from './server.mjs';

let server;
let client;

before(async () => {
  server = await startServer();
  client = server.client();
  for (const p of PRODUCTS) {
    const { id, ...doc } = p;
    await client.index({ index: 'products', id, document: doc });
  }
  await client.indices.refresh({ index: 'products' });
});
after(async () => { await client?.close(); await server?.stop(); });

test('index, get, update, delete a document', async () => {
  const created = await client.index({ index: 'docs', id: 'a', document: { name: 'Kitob', price: 10 }, refresh: 'wait_for' });
  assert.equal(created.result, 'created');
  assert.equal(created._index, 'docs');
  assert.equal(created._version, 1);
  const got = await client.get({ index: 'docs', id: 'a' });
  assert.equal(got.found, true);
  assert.deepEqual(got._source, { name: 'Kitob', price: 10 });
  const updated = await client.update({ index: 'docs', id: 'a', doc: { price: 12 } });
  assert.equal(updated.result, 'updated');
  assert.equal((await client.get({ index: 'docs', id: 'a' }))._source.price, 12);
  assert.equal(await client.exists({ index: 'docs', id: 'a' }), true);
  assert.equal(await client.exists({ index: 'docs', id: 'nope' }), false);
  const deleted = await client.delete({ index: 'docs', id: 'a' });
  assert.equal(deleted.result, 'deleted');
  const mget = await client.mget({ index: 'products', ids: ['p1', 'missing'] });
  assert.equal(mget.docs[0].found, true);
  assert.equal(mget.docs[1].found, false);
});

test('search across scripts and languages', async () => {
  // Uzbek Latin query, Cyrillic and Russian listings: muzlatgich finds the Uzbek listing.
  const r = await client.search({ index: 'products', query: { match: { name: 'muzlatgich' } } });
  const ids = r.hits.hits.map((h) => h._id);
  assert.ok(ids.includes('p3'), JSON.stringify(ids));
  assert.equal(r.hits.total.relation, 'eq');
  assert.equal(typeof r.took, 'number');
  assert.equal(r.timed_out, false);
  assert.deepEqual(r._shards, { total: 1, successful: 1, skipped: 0, failed: 0 });
  // Russian typed in Latin finds the Russian listing.
  const translit = await client.search({ index: 'products', query: { match: { name: 'holodilnik' } } });
  assert.ok(translit.hits.hits.some((h) => h._id === 'p4'));
});

test('filters, sort, source filtering and count', async () => {
  const r = await client.search({
    index: 'products',
    query: { bool: { filter: [{ term: { brand: 'Samsung' } }, { range: { price: { gte: 100000 } } }] } },
    sort: [{ price: 'desc' }],
    _source: ['name', 'price'],
  });
  assert.deepEqual(r.hits.hits.map((h) => h._id), ['p4', 'p1']);
  assert.deepEqual(Object.keys(r.hits.hits[0]._source).sort(), ['name', 'price']);
  assert.deepEqual(r.hits.hits[0].sort, [7100000]);
  const count = await client.count({ index: 'products', query: { term: { in_stock: true } } });
  assert.equal(count.count, 4);
});

test('aggregations as the catalog page asks for them', async () => {
  const r = await client.search({
    index: 'products',
    size: 0,
    aggs: {
      brands: { terms: { field: 'brand' } },
      prices: { range: { field: 'price', ranges: [{ to: 1000000 }, { from: 1000000 }] } },
      avg_price: { avg: { field: 'price' } },
    },
  });
  assert.deepEqual(r.aggregations.brands.buckets, [
    { key: 'Samsung', doc_count: 3 },
    { key: 'Artel', doc_count: 1 },
    { key: 'Xiaomi', doc_count: 1 },
  ]);
  assert.deepEqual(r.aggregations.prices.buckets.map((b) => b.doc_count), [1, 4]);
  const expectedAvg = PRODUCTS.reduce((s, p) => s + p.price, 0) / PRODUCTS.length;
  assert.ok(Math.abs(r.aggregations.avg_price.value - expectedAvg) < 1e-6);
});

test('search_after pages through everything exactly once', async () => {
  const seen = [];
  let after;
  for (let page = 0; page < 10; page++) {
    const r = await client.search({ index: 'products', size: 2, sort: [{ price: 'asc' }, { id: 'asc' }], search_after: after });
    if (r.hits.hits.length === 0) break;
    seen.push(...r.hits.hits.map((h) => h._id));
    after = r.hits.hits.at(-1).sort;
  }
  const byPrice = [...PRODUCTS].sort((a, b) => a.price - b.price).map((p) => p.id);
  assert.deepEqual(seen, byPrice);
});

test('indices API: create with mappings, get mapping, exists, delete', async () => {
  const created = await client.indices.create({ index: 'shop', mappings: { properties: { title: { type: 'text' }, sku: { type: 'keyword' } } } });
  assert.equal(created.acknowledged, true);
  assert.equal(await client.indices.exists({ index: 'shop' }), true);
  const mapping = await client.indices.getMapping({ index: 'shop' });
  assert.equal(mapping.shop.mappings.properties.sku.type, 'keyword');
  assert.equal((await client.indices.delete({ index: 'shop' })).acknowledged, true);
  assert.equal(await client.indices.exists({ index: 'shop' }), false);
});

test('analyze', async () => {
  const r = await client.indices.analyze({ analyzer: 'standard', text: 'Salom Dunyo' });
  assert.deepEqual(r.tokens.map((t) => t.token), ['salom', 'dunyo']);
});
