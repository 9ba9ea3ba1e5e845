#!/usr/bin/env node
// Prints browser figures in headless Chromium: cold start (fetch + compile +
// open the embedded index, fresh browser context each time, median of 5) and
// per-query latency p50/p95 over the dev queries (each query's mean of 20 runs,
// because the browser clock is coarse). Needs pkg/ (scripts/build-wasm).
//   node scripts/bench-browser.mjs [--dev ../shared/data/dev]
import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startServer } from './serve.mjs';
import { parseCsv } from '../js/audit.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const DEV = args.includes('--dev') ? args[args.indexOf('--dev') + 1] : `${ROOT}/../shared/data/dev`;
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];

const cbp = parseCsv(readFileSync(`${DEV}/cbp_rulings_dev.tsv`, 'utf8'), '\t').slice(1).map((r) => r[3]);
const uk = parseCsv(readFileSync(`${DEV}/uk_trader_descriptions.csv`, 'utf8')).slice(1).map((r) => r[0]);
const queries = [...cbp, ...uk].filter((t) => t && t.trim());

const { server, url } = await startServer(`${ROOT}/www`);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: FLAGS });
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.round((xs.length - 1) * p)];
try {
  const colds = [];
  let page;
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    page = await context.newPage();
    await page.goto(`${url}bench.html`);
    await page.waitForFunction(() => window.bench);
    colds.push(await page.evaluate(() => window.bench.cold));
    if (i < 4) await context.close();
  }
  const med = (k) => pct(colds.map((c) => c[k]), 0.5);
  console.log(`cold start (median of 5): ${med('total').toFixed(1)} ms = module fetch+compile ${med('module').toFixed(1)} ms + open index ${med('index').toFixed(1)} ms`);
  const times = (await page.evaluate(([q, reps]) => window.bench.run(q, reps), [queries, 20])).filter((x) => x !== null);
  console.log(`per query over ${times.length} dev queries: p50 ${(pct(times, 0.5) * 1000).toFixed(1)} µs, p95 ${(pct(times, 0.95) * 1000).toFixed(1)} µs`);
} finally {
  await browser.close();
  server.close();
}
