// The <hs-suggest> widget inside a host page: suggestions appear for the
// host's input, keyboard selection fires `hs-select` with the chosen code and
// the candidates shown, and no style crosses the shadow boundary either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, axe } from './harness.mjs';

let h;
before(async () => {
  h = await open();
  await h.page.goto(`${h.url}widget.html`);
  await h.page.evaluate(() => {
    window.__events = [];
    document.addEventListener('hs-select', (e) => window.__events.push(e.detail));
  });
});
after(async () => h?.close());

const options = () => h.page.locator('hs-suggest').locator('li[role="option"]');

test('typing in the host input shows suggestions in the widget', async () => {
  await h.page.fill('#description-field', 'ball bearings');
  await options().first().waitFor();
  assert.equal(await options().count(), 5);
  assert.match(await options().first().textContent(), /^8482\.10/);
});

test('arrow keys and Enter fire hs-select with the code and the candidates shown', async () => {
  await h.page.press('#description-field', 'ArrowDown');
  await h.page.press('#description-field', 'Enter');
  const events = await h.page.evaluate(() => window.__events);
  assert.equal(events.length, 1);
  assert.equal(events[0].code, '848210');
  assert.equal(events[0].candidates.length, 5);
  assert.equal(events[0].candidate.code, '848210');
  assert.equal(events[0].text, 'ball bearings');
  assert.equal(await h.page.inputValue('#hs-code'), '848210', 'the host page reacted to the event');
});

test('a click selects too', async () => {
  await h.page.fill('#description-field', 'padlock');
  await h.page.waitForFunction(() => document.querySelector('hs-suggest').shadowRoot.querySelector('li')?.dataset.code?.startsWith('8301'));
  await options().nth(1).click();
  const events = await h.page.evaluate(() => window.__events);
  assert.equal(events.length, 2);
  assert.equal(events[1].code, events[1].candidates[1].code);
});

test('suggestions show their regulatory alerts', async () => {
  await h.page.fill('#description-field', 'roasted coffee beans');
  await h.page.waitForFunction(() => document.querySelector('hs-suggest').shadowRoot.querySelector('li')?.dataset.code?.startsWith('0901'));
  assert.match(await options().first().locator('.alert').first().textContent(), /EU-EUDR/);
});

test('no style leaks in or out of the widget', async () => {
  await h.page.fill('#description-field', 'scissors');
  await options().first().waitFor();
  const inside = await options().first().evaluate((li) => {
    const s = getComputedStyle(li);
    return { color: s.color, size: s.fontSize, border: getComputedStyle(li.parentElement).borderTopWidth };
  });
  assert.notEqual(inside.color, 'rgb(200, 0, 0)', 'host li colour leaked in');
  assert.notEqual(inside.size, '30px', 'host li font size leaked in');
  assert.notEqual(inside.border, '5px', 'host ul border leaked in');
  const outside = await h.page.locator('#host-list li').evaluate((li) => getComputedStyle(li).color);
  assert.equal(outside, 'rgb(200, 0, 0)', 'host styles still apply to the host');
});

test('Escape closes the list; removing the widget removes its listeners', async () => {
  await h.page.fill('#description-field', 'padlock');
  await options().first().waitFor();
  await h.page.press('#description-field', 'Escape');
  assert.equal(await options().first().isVisible(), false);
  const after = await h.page.evaluate(async () => {
    const w = document.querySelector('hs-suggest');
    w.remove();
    const input = document.getElementById('description-field');
    input.value = 'ball bearings';
    input.dispatchEvent(new Event('input'));
    await new Promise((r) => setTimeout(r, 400));
    return w.candidates.length > 0 && w.candidates[0].code.startsWith('8482');
  });
  assert.equal(after, false, 'a removed widget kept listening');
});

test('axe-core finds no violations on the host page with the widget', async () => {
  await h.page.reload();
  await h.page.fill('#description-field', 'ball bearings');
  await options().first().waitFor();
  assert.deepEqual(await axe(h.page), []);
});

test('the console stayed empty', () => {
  assert.deepEqual(h.consoleMessages, []);
});
