// Audit records survive a browser restart: the same profile, a new browser process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { WWW, FLAGS, waitReady } from './harness.mjs';

test('a recorded decision is still there after the browser is closed and started again', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'preclass-profile-'));
  // The same origin both times: IndexedDB is kept per origin.
  const { server, url } = await startServer(WWW);
  const launch = () => chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: FLAGS,
  });
  try {
    let browser = await launch();
    let page = await browser.newPage();
    await page.goto(url);
    await waitReady(page);
    await page.fill('#text', 'padlock');
    await page.waitForSelector('#suggestions li');
    await page.waitForTimeout(250);
    await page.click('#use-none');
    await page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length === 1);
    await browser.close();

    browser = await launch();
    page = await browser.newPage();
    await page.goto(url);
    await waitReady(page);
    await page.waitForFunction(() => document.querySelectorAll('#audit-table tbody tr').length === 1);
    assert.match(await page.textContent('#audit-table tbody'), /padlock/);
    assert.match(await page.textContent('#audit-status'), /1 record; the hash chain verifies/);
    await browser.close();
  } finally {
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
