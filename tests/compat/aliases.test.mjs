// Aliases through the client: the zero-downtime catalog swap a storefront relies on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './server.mjs';

let server;
let client;

before(async () => { server = await startServer(); client = server.client(); });
after(async () => { await client?.close(); await server?.stop(); });

async function catalog(index, n) {
  const operations = [];
  for (let i = 0; i < n; i++) operations.push({ index: { _index: index, _id: `${index}-${i}` } }, { name: `smartfon ${i}` });
  const r = await client.bulk({ operations, refresh: true });
  assert.equal(r.errors, false);
}

test('swap an alias atomically while searching through it', async () => {
  await catalog('products-1', 3);
  await catalog('products-2', 5);
  await client.indices.updateAliases({ actions: [{ add: { index: 'products-1', alias: 'products' } }] });
  assert.equal((await client.count({ index: 'products' })).count, 3);

  let stop = false;
  const totals = new Set();
  const searching = (async () => {
    for (let i = 0; i < 2000 && !stop; i++) {
      const r = await client.search({ index: 'products', query: { match: { name: 'smartfon' } } });
      totals.add(`${r.hits.total.value}:${[...new Set(r.hits.hits.map((h) => h._index))].join(',')}`);
    }
  })();
  const swapped = await client.indices.updateAliases({
    actions: [
      { remove: { index: 'products-1', alias: 'products' } },
      { add: { index: 'products-2', alias: 'products' } },
      { remove_index: { index: 'products-1' } },
    ],
  });
  assert.equal(swapped.acknowledged, true);
  await new Promise((r) => setTimeout(r, 100));
  stop = true;
  await searching;
  for (const t of totals) assert.ok(t === '3:products-1' || t === '5:products-2', `saw ${t}`);
  assert.equal((await client.count({ index: 'products' })).count, 5);
  assert.equal(await client.indices.exists({ index: 'products-1' }), false);
});

test('get, put, delete and list aliases', async () => {
  await client.indices.create({ index: 'books-1' });
  await client.indices.putAlias({ index: 'books-1', name: 'books', is_write_index: true });
  assert.deepEqual(await client.indices.getAlias({ name: 'books' }), { 'books-1': { aliases: { books: { is_write_index: true } } } });
  assert.equal(await client.indices.existsAlias({ name: 'books' }), true);
  const written = await client.index({ index: 'books', id: '1', document: { title: 'Oʻtgan kunlar' }, refresh: true });
  assert.equal(written._index, 'books-1');
  const cat = await client.cat.aliases({ name: 'books', format: 'json' });
  assert.deepEqual(cat, [{ alias: 'books', index: 'books-1', filter: '-', 'routing.index': '-', 'routing.search': '-', is_write_index: 'true' }]);
  await client.indices.deleteAlias({ index: 'books-1', name: 'books' });
  assert.equal(await client.indices.existsAlias({ name: 'books' }), false);
  await assert.rejects(client.indices.deleteAlias({ index: 'books-1', name: 'books' }), (err) => {
    assert.equal(err.meta.statusCode, 404);
    assert.equal(err.body.error.type, 'aliases_not_found_exception');
    return true;
  });
});
