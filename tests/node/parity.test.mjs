// Parity: on every dev query (../shared/data/dev), the wasm module under Node
// (scripts/classify.mjs) and the native CLI return the same top-5 codes, and
// the same bytes for malformed lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../js/audit.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEV = process.env.PRECLASS_DEV ?? `${ROOT}/../shared/data/dev`;
const CLI = `${ROOT}/target/release/preclass`;

function devQueries() {
  const cbp = parseCsv(readFileSync(`${DEV}/cbp_rulings_dev.tsv`, 'utf8'), '\t').slice(1).map((r) => r[3]);
  const uk = parseCsv(readFileSync(`${DEV}/uk_trader_descriptions.csv`, 'utf8')).slice(1).map((r) => r[0]);
  return [...cbp, ...uk].filter((t) => t && t.trim());
}

function run(cmd, args, input) {
  const r = spawnSync(cmd, args, { input, maxBuffer: 1 << 30, cwd: ROOT });
  assert.equal(r.status, 0, `${cmd} failed: ${r.stderr}`);
  return r.stdout.toString().trimEnd().split('\n');
}

test('native CLI and wasm give the same top-5 codes for every dev query', { skip: !existsSync(DEV) && 'no dev data' }, () => {
  const queries = devQueries();
  const input = queries.map((text, i) => JSON.stringify({ id: i, text })).join('\n') + '\n';
  const index = ['--index', `${ROOT}/data/index/default.pcx`];
  const native = run(CLI, ['classify', '--jsonl', '--top', '5', ...index], input);
  const wasm = run(process.execPath, ['scripts/classify.mjs', '--jsonl', '--top', '5', ...index], input);
  assert.equal(native.length, queries.length);
  assert.equal(wasm.length, queries.length);
  let same = 0;
  const differ = [];
  for (let i = 0; i < queries.length; i++) {
    const a = JSON.parse(native[i]);
    const b = JSON.parse(wasm[i]);
    const codes = (x) => (x.candidates ?? []).map((c) => c.code).join(' ') || JSON.stringify(x.error);
    if (codes(a) === codes(b) && a.id === b.id) same++;
    else differ.push(`${queries[i]}: native ${codes(a)} | wasm ${codes(b)}`);
  }
  console.log(`parity: ${same} of ${queries.length} dev queries have identical top-5 codes`);
  assert.deepEqual(differ.slice(0, 10), []);
});

test('malformed lines get the same error objects from both', () => {
  const input = Buffer.concat([
    Buffer.from('{"id": 1, "text": "padlock", "colour": "red"}\n{oops\n\n{"id": 4}\n'),
    Buffer.from([0xff, 0xfe, 0x0a]),
    Buffer.from('{"id": 6, "text": "scissors"}'),
  ]);
  const native = run(CLI, ['classify', '--jsonl'], input);
  const wasm = run(process.execPath, ['scripts/classify.mjs', '--jsonl'], input);
  assert.equal(native.length, 6);
  assert.deepEqual(wasm.map((l) => JSON.parse(l).error), native.map((l) => JSON.parse(l).error));
});
