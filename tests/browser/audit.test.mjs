// The audit trail in real Chromium: decisions are recorded in IndexedDB and
// survive a reload; the exported log verifies with the native
// `preclass audit verify`, which names the record where an edit, deletion or
// reordering breaks the chain; importing verifies first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDemo, waitReady, axe } from './harness.mjs';

const CLI = fileURLToPath(new URL('../../target/release/preclass', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'preclass-audit-'));
let h;

before(async () => {
  h = await openDemo();
});
after(async () => h?.close());

async function decide(text, how) {
  const { page } = h;
  const before = await rows();
  await page.fill('#text', text);
  await page.waitForSelector('#suggestions li');
  await page.waitForTimeout(250);
  if (how === 'chosen') {
    await page.press('#text', 'ArrowDown');
    await page.press('#text', 'Enter');
    await page.fill('#note', `note for ${text}`);
    await page.click('#use');
  } else if (how === 'typed') {
    await page.fill('#typed', '8301.40');
    await page.click('#use-typed');
  } else {
    await page.click('#use-none');
  }
  await page.waitForFunction((n) => document.querySelectorAll('#audit-table tbody tr').length === n + 1, before);
}

const rows = () => h.page.locator('#audit-table tbody tr').count();

function verify(text) {
  const file = join(dir, `log-${Math.random().toString(36).slice(2)}.jsonl`);
  writeFileSync(file, text);
  const r = spawnSync(CLI, ['audit', 'verify', file]);
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

const exportJsonl = () => h.page.evaluate(async () => {
  const { openAuditLog } = await import('./pkg/audit.js');
  const log = await openAuditLog();
  const text = await log.exportJsonl();
  log.close();
  return text;
});

test('decisions are recorded with inputs, candidates, index and note, and survive a reload', async () => {
  await decide('padlock', 'chosen');
  await decide('door hinges of base metal', 'typed');
  await decide('stainless steel kitchen sink', 'none');
  assert.equal(await rows(), 3);
  await h.page.reload();
  await waitReady(h.page);
  await h.page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length === 3);
  assert.match(await h.page.textContent('#audit-status'), /3 records; the hash chain verifies/);
  const log = (await exportJsonl()).trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(log.map((r) => r.decision.kind), ['chosen', 'typed', 'none']);
  assert.equal(log[0].query.text, 'padlock');
  assert.match(log[0].decision.code, /^8301/);
  assert.equal(log[0].note, 'note for padlock');
  assert.equal(log[1].decision.code, '830140');
  assert.equal(log[0].candidates.length, 5);
  assert.match(log[0].index.checksum, /^[0-9a-f]{8}$/);
  assert.equal(log[1].prev, log[0].hash);
});

test('the export verifies with the native CLI, and tampering fails at the right record', async () => {
  const text = await exportJsonl();
  const lines = text.trim().split('\n');
  let r = verify(text);
  assert.ok(r.ok, r.out);
  assert.match(r.out, /verified: 3 records/);
  // One flipped byte in record 2.
  const flipped = [...lines];
  flipped[1] = flipped[1].replace('door hinges', 'door hingez');
  r = verify(`${flipped.join('\n')}\n`);
  assert.ok(!r.ok);
  assert.match(r.out, /breaks at record 2 \(seq 2\)/);
  // Record 2 deleted: record 3 now stands second and breaks there.
  r = verify(`${[lines[0], lines[2]].join('\n')}\n`);
  assert.match(r.out, /breaks at record 2 \(seq 3\)/);
  // Records 2 and 3 swapped.
  r = verify(`${[lines[0], lines[2], lines[1]].join('\n')}\n`);
  assert.match(r.out, /breaks at record 2/);
});

test('the CSV export verifies too', async () => {
  const csv = await h.page.evaluate(async () => {
    const { openAuditLog } = await import('./pkg/audit.js');
    const log = await openAuditLog();
    const text = await log.exportCsv();
    log.close();
    return text;
  });
  const file = join(dir, 'log.csv');
  writeFileSync(file, csv);
  const r = spawnSync(CLI, ['audit', 'verify', file]);
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

test('importing a log verifies it first', async () => {
  const text = await exportJsonl();
  const tampered = text.replace('padlock', 'padlocc');
  const result = await h.page.evaluate(async ([bad, good]) => {
    const { openAuditLog } = await import('./pkg/audit.js');
    const log = await openAuditLog();
    let refused = '';
    try { await log.importLog(bad); } catch (err) { refused = err.message; }
    const after = (await log.list()).length;
    const ok = await log.importLog(good);
    log.close();
    return { refused, after, ok };
  }, [tampered, text]);
  assert.match(result.refused, /breaks at record 1/);
  assert.equal(result.after, 3, 'a refused import leaves the log as it was');
  assert.equal(result.ok.records, 3);
});

test('the export button downloads the log, and the panel filters by date', async () => {
  const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.click('#export-jsonl')]);
  assert.equal(download.suggestedFilename(), 'preclass-audit.jsonl');
  await h.page.fill('#audit-from', '2000-01-01');
  await h.page.fill('#audit-to', '2000-12-31');
  await h.page.dispatchEvent('#audit-to', 'change');
  await h.page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length === 0);
  await h.page.fill('#audit-to', '');
  await h.page.dispatchEvent('#audit-to', 'change');
  await h.page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length === 3);
});

test('axe-core finds no violations with the audit panel filled', async () => {
  assert.deepEqual(await axe(h.page), []);
});

test('nothing was sent anywhere and the console stayed empty', () => {
  const foreign = h.requests.filter((r) => !r.startsWith(h.url) && !r.startsWith('data:') && !r.startsWith('blob:'));
  assert.deepEqual(foreign, []);
  assert.deepEqual(h.consoleMessages, []);
});
