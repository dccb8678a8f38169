// API keys through the client: an admin (bootstrap) key mints a read-only key for `shop*`, the
// client authenticates with it as Elasticsearch's clients do (auth: { apiKey }), and the server
// answers 401/403 with Elasticsearch's bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';

const ADMIN_KEY = 'compat-admin-key-0123456789';
let keysDir;
let server;
let admin;

before(async () => {
  keysDir = mkdtempSync(path.join(tmpdir(), 'ultrasearch-keys-'));
  const file = path.join(keysDir, 'keys');
  writeFileSync(file, `${ADMIN_KEY}\n`);
  server = await startServer(['--api-keys', file]);
  admin = server.client({ auth: { apiKey: ADMIN_KEY } });
});
after(async () => {
  await admin?.close();
  await server?.stop();
  rmSync(keysDir, { recursive: true, force: true });
});

test('a minted read-only key searches and is refused writes', async () => {
  await admin.index({ index: 'shop-1', id: '1', document: { name: 'olma' }, refresh: true });
  await admin.index({ index: 'other', id: '1', document: { name: 'nok' }, refresh: true });
  const minted = await admin.security.createApiKey({
    name: 'storefront',
    expiration: '1d',
    role_descriptors: { reader: { indices: [{ names: ['shop*'], privileges: ['read'] }] } },
  });
  assert.equal(minted.name, 'storefront');
  assert.equal(typeof minted.id, 'string');
  assert.equal(minted.encoded, Buffer.from(`${minted.id}:${minted.api_key}`).toString('base64'));

  const reader = server.client({ auth: { apiKey: minted.encoded } });
  try {
    const r = await reader.search({ index: 'shop-1', query: { match: { name: 'olma' } } });
    assert.equal(r.hits.total.value, 1);
    await assert.rejects(reader.index({ index: 'shop-1', id: '2', document: { name: 'x' } }), (err) => {
      assert.equal(err.meta.statusCode, 403);
      assert.equal(err.body.error.type, 'security_exception');
      return true;
    });
    await assert.rejects(reader.search({ index: 'other' }), (err) => err.meta.statusCode === 403);
    const me = await reader.security.authenticate();
    assert.equal(me.api_key.name, 'storefront');
  } finally {
    await reader.close();
  }

  const listed = await admin.security.getApiKey({ name: 'storefront' });
  assert.equal(listed.api_keys.length, 1);
  assert.equal(listed.api_keys[0].invalidated, false);
  assert.equal(JSON.stringify(listed).includes(minted.api_key), false);
  const invalidated = await admin.security.invalidateApiKey({ ids: [minted.id] });
  assert.deepEqual(invalidated.invalidated_api_keys, [minted.id]);
  const stale = server.client({ auth: { apiKey: minted.encoded } });
  try {
    await assert.rejects(stale.search({ index: 'shop-1' }), (err) => {
      assert.equal(err.meta.statusCode, 401);
      assert.equal(err.body.error.type, 'security_exception');
      return true;
    });
  } finally {
    await stale.close();
  }
});

test('no key: 401 with WWW-Authenticate', async () => {
  const anonymous = server.client();
  try {
    await assert.rejects(anonymous.info(), (err) => {
      assert.equal(err.meta.statusCode, 401);
      assert.match(String(err.meta.headers['www-authenticate']), /ApiKey/);
      return true;
    });
  } finally {
    await anonymous.close();
  }
});
