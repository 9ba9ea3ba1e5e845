// Shared set-up of the page tests: a static server on loopback for www/ and
// Debian's Chromium driven by playwright-core, with every request recorded.
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

export const WWW = fileURLToPath(new URL('../../www', import.meta.url));
export const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

export const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

/** Starts the server and the browser; returns helpers and a close(). */
export async function open() {
  const { server, url } = await startServer(WWW);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const requests = [];
  const consoleMessages = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleMessages.push(`pageerror: ${e.message}`));
  page.on('worker', (w) => w.on('console', (m) => consoleMessages.push(`worker ${m.type()}: ${m.text()}`)));
  return {
    url, page, context, requests, consoleMessages,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** Waits until the demo page says the classifier is loaded. */
export function waitReady(page) {
  return page.waitForSelector('html[data-ready="true"]');
}

/** Like open(), with the demo page loaded and ready. */
export async function openDemo() {
  const h = await open();
  await h.page.goto(h.url);
  await waitReady(h.page);
  return h;
}

/** Runs axe-core on the page and returns its violations. */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  });
}
