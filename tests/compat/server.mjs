// Starts `ultrasearch serve` on 127.0.0.1 with a fresh data directory and an ephemeral port, and
// stops it by PID (SIGTERM, then SIGKILL after a grace period). ULTRASEARCH_BIN names the binary.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';

const BIN = process.env.ULTRASEARCH_BIN;

export async function startServer(extraArgs = []) {
  if (!BIN) throw new Error('ULTRASEARCH_BIN must name the ultrasearch binary');
  const dir = mkdtempSync(path.join(tmpdir(), 'ultrasearch-compat-'));
  const child = spawn(BIN, ['serve', '--data', path.join(dir, 'data'), '--host', '127.0.0.1', '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (d) => { output += d; });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s:\n${output}`)), 60000);
    child.stdout.on('data', (d) => {
      output += d;
      const m = /listening on [^\s:]+:(\d+)/.exec(output);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited (${code}):\n${output}`)); });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    pid: child.pid,
    client: (options = {}) => new Client({ node: url, ...options }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(child.pid, 'SIGTERM');
        const timer = setTimeout(() => { if (child.exitCode === null) process.kill(child.pid, 'SIGKILL'); }, 15000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A small catalog in the products schema, in three languages.
export const PRODUCTS = [
  { id: 'p1', name: 'Samsung Galaxy A54 smartfon', brand: 'Samsung', category: 'Smartfonlar', price: 3899000, in_stock: true, lang: 'uz-Latn' },
  { id: 'p2', name: 'Смартфон Xiaomi Redmi Note 12', brand: 'Xiaomi', category: 'Smartfonlar', price: 2499000, in_stock: true, lang: 'ru' },
  { id: 'p3', name: 'Artel muzlatgichi HD 455', brand: 'Artel', category: 'Muzlatgichlar', price: 5200000, in_stock: false, lang: 'uz-Latn' },
  { id: 'p4', name: 'Холодильник Samsung RB30', brand: 'Samsung', category: 'Muzlatgichlar', price: 7100000, in_stock: true, lang: 'ru' },
  { id: 'p5', name: 'Samsung телефон учун ғилоф', brand: 'Samsung', category: 'Aksessuarlar', price: 99000, in_stock: true, lang: 'uz-Cyrl' },
];
