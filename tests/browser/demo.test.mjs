// The demo page in real Chromium: typing shows suggestions, keyboard use works,
// the console stays empty, every request goes to the page's own server, none
// at all while classifying, axe finds no violations, and it keeps working offline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openDemo, axe } from './harness.mjs';

let h;
before(async () => {
  h = await openDemo();
});
after(async () => h?.close());

test('typing a description shows ranked suggestions with path, confidence and evidence', async () => {
  const { page } = h;
  await page.fill('#text', '');
  await page.type('#text', 'stainless steel kitchen sink', { delay: 10 });
  await page.waitForSelector('#suggestions li[role="option"]');
  const first = await page.locator('#suggestions > li').first();
  assert.match(await first.locator('.code').textContent(), /^7324\.10$/);
  assert.match(await first.locator('.path').textContent(), /73 .*›.*7324 /);
  assert.match(await first.locator('.conf').textContent(), /confidence \d+%/);
  assert.ok((await first.locator('.why li').count()) > 0, 'matched terms shown');
  assert.equal(await page.getAttribute('#text', 'aria-expanded'), 'true');
  assert.match(await page.textContent('#status'), /5 suggestions/);
});

test('arrow keys move, Enter chooses, Escape closes', async () => {
  const { page } = h;
  await page.fill('#text', 'padlock');
  await page.waitForFunction(() => document.querySelector('#suggestions .code')?.textContent.startsWith('8301'));
  await page.press('#text', 'ArrowDown');
  assert.equal(await page.getAttribute('#text', 'aria-activedescendant'), 'opt-0');
  await page.press('#text', 'ArrowDown');
  await page.press('#text', 'ArrowUp');
  assert.equal(await page.getAttribute('#opt-0', 'aria-selected'), 'true');
  await page.press('#text', 'Enter');
  assert.match(await page.textContent('#chosen'), /^8301/);
  assert.equal(await page.getAttribute('#text', 'aria-expanded'), 'false');
  await page.press('#text', 'ArrowDown');
  assert.equal(await page.getAttribute('#text', 'aria-expanded'), 'true');
  await page.press('#text', 'Escape');
  assert.equal(await page.isHidden('#suggestions'), true);
});

test('stale answers are dropped: the list shows the last text typed', async () => {
  const { page } = h;
  await page.fill('#text', '');
  for (const text of ['ball bearings', 'scissors', 'padlock']) await page.fill('#text', text);
  await page.waitForFunction(() => document.querySelector('#suggestions .code')?.textContent.startsWith('8301'));
  await new Promise((r) => setTimeout(r, 400));
  assert.match(await page.textContent('#suggestions .code'), /^8301/);
});

test('questions tell close candidates apart, and an answer narrows the list', async () => {
  const { page } = h;
  await page.fill('#text', "men's shirt");
  await page.waitForFunction(() => [...document.querySelectorAll('#questions legend')].some((l) => /knitted or crocheted/.test(l.textContent)));
  const set = page.locator('#questions fieldset', { hasText: 'Is the fabric knitted or crocheted?' });
  const button = set.locator('button', { hasText: /^knitted or crocheted/ });
  const codes = (await button.textContent()).match(/\d{4}\.\d{2}/g);
  await button.click();
  assert.equal(await button.getAttribute('aria-pressed'), 'true');
  const shown = await page.locator('#suggestions .code').allTextContents();
  assert.deepEqual(shown, codes);
  assert.equal(await page.isVisible('#review'), true, 'low confidence is flagged');
});

test('suggestions carry their regulatory alerts, for the chosen trade flow', async () => {
  const { page } = h;
  await page.fill('#text', 'roasted coffee beans');
  await page.waitForFunction(() => document.querySelector('#suggestions .code')?.textContent.startsWith('0901'));
  assert.match(await page.textContent('#suggestions > li:first-child .alerts'), /EU-EUDR · EU deforestation regulation/);
  // CBAM concerns imports into the EU: shown for import, not for export.
  await page.fill('#text', 'hot-rolled steel coil 720810');
  await page.waitForFunction(() => document.querySelector('#suggestions .code')?.textContent.startsWith('72'));
  await page.waitForTimeout(300);
  assert.doesNotMatch(await page.textContent('#suggestions'), /EU-CBAM/);
  await page.check('input[name="direction"][value="import"]');
  await page.waitForFunction(() => /EU-CBAM/.test(document.querySelector('#suggestions').textContent));
  await page.check('input[name="direction"][value="export"]');
});

test('user text is shown as text, never as markup', async () => {
  const { page } = h;
  await page.fill('#text', '<img src=x onerror="window.pwned=1"> steel sink');
  await page.waitForSelector('#suggestions li');
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await page.locator('#suggestions img').count(), 0);
});

test('Chinese interface text', async () => {
  const { page } = h;
  await page.click('#lang');
  assert.equal(await page.textContent('label[for="text"]'), '商品描述');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.textContent('#privacy'), /不会被发送/);
  await page.click('#lang');
  assert.equal(await page.textContent('label[for="text"]'), 'Product description');
});

test('no request leaves the page origin, and classifying makes none at all', async () => {
  const { page, requests, url } = h;
  const before = requests.length;
  for (const text of ['lithium-ion battery', 'men\'s cotton t-shirt', '不锈钢保温杯']) {
    await page.fill('#text', text);
    await page.waitForSelector('#suggestions li');
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(requests.slice(before), [], 'classification made network requests');
  const foreign = requests.filter((r) => !r.startsWith(url) && !r.startsWith('data:'));
  assert.deepEqual(foreign, []);
});

test('axe-core finds no accessibility violations, with suggestions open', async () => {
  const { page } = h;
  await page.fill('#text', 'stainless steel kitchen sink');
  await page.waitForSelector('#suggestions li');
  assert.deepEqual(await axe(page), []);
});

test('keeps classifying with the network gone', async () => {
  const { page, context } = h;
  await context.setOffline(true);
  try {
    await page.fill('#text', 'ball bearings');
    await page.waitForFunction(() => document.querySelector('#suggestions .code')?.textContent.startsWith('8482'));
  } finally {
    await context.setOffline(false);
  }
});

test('the console stayed empty', () => {
  assert.deepEqual(h.consoleMessages, []);
});
