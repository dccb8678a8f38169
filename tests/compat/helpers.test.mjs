// The client's helpers: bulk, search, msearch, each over a real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';

let server;
let client;

before(async () => { server = await startServer(); client = server.client(); });
after(async () => { await client?.close(); await server?.stop(); });

function* catalog(n) {
  for (let i = 0; i < n; i++) yield { id: `g${i}`, name: i % 2 ? `telefon ${i}` : `kitob ${i}`, price: i };
}

test('helpers.bulk loads a catalog and reports it', async () => {
  const stats = await client.helpers.bulk({
    datasource: [...catalog(1200)],
    onDocument: (doc) => ({ index: { _index: 'bulk', _id: doc.id } }),
    flushBytes: 20000,
    refreshOnCompletion: 'bulk',
  });
  assert.equal(stats.total, 1200);
  assert.equal(stats.successful, 1200);
  assert.equal(stats.failed, 0);
  assert.equal((await client.count({ index: 'bulk' })).count, 1200);
  assert.equal((await client.count({ index: 'bulk', query: { match: { name: 'telefon' } } })).count, 600);
});

test('helpers.bulk reports the documents the server refused', async () => {
  const dropped = [];
  const stats = await client.helpers.bulk({
    datasource: [{ id: 'ok', price: 1 }, { id: 'bad', price: 'not a number' }],
    onDocument: (doc) => ({ index: { _index: 'typed', _id: doc.id } }),
    onDrop: (d) => dropped.push(d),
  });
  // The first document maps price as a number; the second cannot be parsed as one.
  assert.equal(stats.successful, 1);
  assert.equal(stats.failed, 1);
  assert.equal(dropped[0].document.id, 'bad');
  assert.equal(dropped[0].status, 400);
  assert.equal(dropped[0].error.type, 'document_parsing_exception');  // Elasticsearch 8.8+
});

test('helpers.search returns the sources', async () => {
  await client.index({ index: 'hs', id: '1', document: { name: 'olma' }, refresh: true });
  const docs = await client.helpers.search({ index: 'hs', query: { match: { name: 'olma' } } });
  // The helper adds each hit's _id to its source (client 8.x).
  assert.deepEqual(docs, [{ _id: '1', name: 'olma' }]);
});

test('helpers.msearch answers each search, errors alone', async () => {
  await client.index({ index: 'ms', id: '1', document: { name: 'non' }, refresh: true });
  const m = client.helpers.msearch({ operations: 2, flushInterval: 50 });
  try {
    const [a, b] = await Promise.all([
      m.search({ index: 'ms' }, { query: { match: { name: 'non' } } }),
      m.search({ index: 'ms' }, { query: { match_all: {} }, size: 0 }),
    ]);
    assert.equal(a.body.hits.total.value, 1);
    assert.equal(b.body.hits.total.value, 1);
    await assert.rejects(m.search({ index: 'missing-index' }, { query: { match_all: {} } }), (err) => {
      // The helper's error carries the item's own status (the _msearch itself answered 200).
      assert.equal(err.statusCode, 404);
      assert.equal(err.body.error.type, 'index_not_found_exception');
      return true;
    });
  } finally {
    m.stop();
  }
});

test('helpers.scrollSearch and scrollDocuments read every document once', async () => {
  const operations = [];
  for (let i = 0; i < 57; i++) operations.push({ index: { _index: 'scrolled', _id: `s${i}` } }, { n: i });
  await client.bulk({ operations, refresh: true });
  const pages = [];
  for await (const result of client.helpers.scrollSearch({ index: 'scrolled', size: 10, sort: [{ n: 'asc' }] })) {
    pages.push(result.documents.map((d) => d.n));
  }
  assert.equal(pages.length, 6);
  assert.deepEqual(pages.flat(), Array.from({ length: 57 }, (_, i) => i));
  const ids = new Set();
  for await (const doc of client.helpers.scrollDocuments({ index: 'scrolled', size: 20 })) ids.add(doc.n);
  assert.equal(ids.size, 57);
});
