// The demo page: a product form whose suggestions update as the user types.
// Progressive enhancement: the form, labels, list and live region are in the
// HTML; this module adds behaviour. Everything shown comes through textContent.
import { load } from './pkg/preclass.js';
import { openAuditLog } from './pkg/audit.js';
import { applyLanguage, TEXT } from './i18n.js';

const DEBOUNCE_MS = 120;
const FIELDS = ['text', 'material', 'function', 'use', 'category'];

const $ = (id) => document.getElementById(id);
const input = $('text');
const list = $('suggestions');
const status = $('status');
const empty = $('empty');
const chosen = $('chosen');

let lang = localStorage.getItem('preclass-lang') === 'zh' ? 'zh' : 'en';
let t = TEXT[lang];
let hs = null;
let audit = null;
let indexInfo = null;
let lastQuery = null;
let search = 0; // every keystroke starts a new search; older answers are dropped
let timer = 0;
let candidates = [];
let allCandidates = [];
let lastResult = null;
let answered = null; // { dimension, answer } the user picked
let active = -1;
let chosenCandidate = null;

/** 732410 -> 7324.10, 84713000 -> 8471.30.00 */
export function formatCode(code) {
  return code.length <= 4 ? code : code.replace(/^(\d{4})(\d{2})(\d{2})?(\d{2})?$/, (_, a, b, c, d) => [a, b, c, d].filter(Boolean).join('.'));
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function query() {
  const q = {};
  for (const f of FIELDS) {
    const v = $(f).value.trim();
    if (v) q[f] = v;
  }
  if (!q.text) q.text = '';
  return q;
}

function setExpanded(open) {
  list.hidden = !open;
  input.setAttribute('aria-expanded', String(open));
  if (!open) {
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }
}

function setActive(i) {
  const items = list.children;
  if (!items.length) return;
  active = (i + items.length) % items.length;
  for (let k = 0; k < items.length; k++) items[k].setAttribute('aria-selected', String(k === active));
  input.setAttribute('aria-activedescendant', items[active].id);
  items[active].scrollIntoView?.({ block: 'nearest' });
}

function choose(i) {
  const c = candidates[i];
  if (!c) return;
  chosenCandidate = c;
  chosen.textContent = t.chosenIs(formatCode(c.code), c.description);
  status.textContent = t.chosenIs(formatCode(c.code), c.description);
  setExpanded(false);
}

function renderQuestions(result) {
  const box = $('questions');
  box.replaceChildren();
  $('review').hidden = !result.needs_review || !result.candidates.length;
  for (const q of result.questions ?? []) {
    const set = el('fieldset');
    set.append(el('legend', null, t.question(q)));
    for (const o of q.options) {
      const b = el('button', null, `${t.answer(o)} (${o.codes.map(formatCode).join(', ')})`);
      b.type = 'button';
      const on = answered?.dimension === q.dimension && answered?.answer === o.answer;
      b.setAttribute('aria-pressed', String(on));
      b.addEventListener('click', () => {
        answered = on ? null : { dimension: q.dimension, answer: o.answer, codes: o.codes };
        render(lastResult);
        if (answered) status.textContent = t.narrowed(candidates.length);
      });
      set.append(b);
    }
    box.append(set);
  }
}

function render(result) {
  lastResult = result;
  allCandidates = result.candidates;
  candidates = answered ? allCandidates.filter((c) => answered.codes.includes(c.code)) : allCandidates;
  renderQuestions(result);
  list.replaceChildren();
  candidates.forEach((c, i) => {
    const li = el('li');
    li.id = `opt-${i}`;
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    const head = el('div');
    head.append(el('span', 'code', formatCode(c.code)));
    const conf = el('span', 'conf');
    const bar = el('span', 'bar');
    bar.setAttribute('aria-hidden', 'true');
    const fill = el('span');
    fill.style.width = `${Math.round(c.confidence * 100)}%`;
    bar.append(fill);
    conf.append(bar, el('span', null, `${t.confidence} ${Math.round(c.confidence * 100)}%`));
    head.append(conf);
    li.append(head, el('p', 'desc', c.description));
    const path = el('p', 'path');
    c.path.slice(0, -1).forEach((step, k) => {
      if (k > 0) path.append(' › ');
      path.append(el('span', null, `${step.code} ${step.description}`));
    });
    li.append(path);
    if (c.why.length) {
      const why = el('ul', 'why');
      why.setAttribute('aria-label', t.matched);
      for (const e of c.why) {
        const item = el('li', e.against ? 'against' : null, `${e.against ? `${t.against}: ` : ''}${e.term} · ${e.field} ${e.code}`);
        why.append(item);
      }
      li.append(why);
    }
    const alerts = el('ul', 'alerts');
    alerts.setAttribute('aria-label', t.alerts);
    for (const a of c.alerts ?? []) {
      const title = lang === 'zh' ? a.title_zh : a.title;
      alerts.append(el('li', null, `${a.scheme} · ${title}${a.partial ? ` (${t.partial})` : ''}`));
    }
    li.append(alerts);
    li.addEventListener('mousedown', (ev) => ev.preventDefault());
    li.addEventListener('click', () => choose(i));
    list.append(li);
  });
  empty.hidden = candidates.length > 0;
  setExpanded(candidates.length > 0);
  status.textContent = candidates.length ? t.count(candidates.length) : t.noMatch;
}

async function update() {
  const mine = ++search;
  const q = query();
  if (!FIELDS.some((f) => q[f])) {
    candidates = [];
    lastResult = null;
    $('questions').replaceChildren();
    $('review').hidden = true;
    list.replaceChildren();
    setExpanded(false);
    empty.hidden = false;
    status.textContent = '';
    return;
  }
  try {
    const direction = document.querySelector('input[name="direction"]:checked')?.value ?? 'export';
    const result = await hs.classify(q, { top: 5, direction });
    if (mine !== search) return; // a newer search is under way
    answered = null;
    lastQuery = q;
    render(result);
  } catch (err) {
    if (mine !== search) return;
    candidates = [];
    list.replaceChildren();
    setExpanded(false);
    status.textContent = /no words/.test(err.message) ? t.noMatch : t.failed(err.message);
  }
}

function schedule() {
  clearTimeout(timer);
  search++; // drop any answer still in flight
  timer = setTimeout(update, DEBOUNCE_MS);
}

function onKey(ev) {
  if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
    if (!candidates.length) return;
    ev.preventDefault();
    if (list.hidden) setExpanded(true);
    setActive(active + (ev.key === 'ArrowDown' ? 1 : -1) + (active < 0 && ev.key === 'ArrowUp' ? 1 : 0));
  } else if (ev.key === 'Enter') {
    ev.preventDefault();
    if (!list.hidden && active >= 0) choose(active);
  } else if (ev.key === 'Escape') {
    if (!list.hidden) {
      ev.preventDefault();
      setExpanded(false);
    }
  }
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function showAudit() {
  const from = $('audit-from').value ? `${$('audit-from').value}T00:00:00.000Z` : undefined;
  const to = $('audit-to').value ? `${$('audit-to').value}T23:59:59.999Z` : undefined;
  const rows = await audit.list({ from, to });
  const body = $('audit-table').tBodies[0];
  body.replaceChildren();
  for (const r of rows.reverse()) {
    const tr = el('tr');
    const decision = r.decision.kind === 'none' ? t.noneDecision : `${formatCode(r.decision.code)} (${r.decision.kind})`;
    for (const v of [String(r.seq), r.time.replace('T', ' ').slice(0, 19), r.query?.text ?? '', decision, r.note ?? '']) tr.append(el('td', null, v));
    body.append(tr);
  }
  const v = await audit.verify();
  $('audit-status').textContent = v.ok ? t.chainOk(v.records) : t.chainBroken(v);
}

async function decide(kind) {
  let code = null;
  if (kind === 'chosen') {
    if (!chosenCandidate) { status.textContent = t.chooseFirst; return; }
    code = chosenCandidate.code;
  } else if (kind === 'typed') {
    code = $('typed').value.replace(/[\s.]/g, '');
    if (!/^\d{6,10}$/.test(code)) { status.textContent = t.typeFirst; return; }
  }
  const r = await audit.record({
    query: lastQuery ?? query(),
    candidates: allCandidates,
    index: indexInfo && { checksum: indexInfo.checksum, edition: indexInfo.edition, generator: indexInfo.generator },
    decision: { kind, code },
    note: $('note').value.trim(),
  });
  $('note').value = '';
  status.textContent = t.recorded(r);
  await showAudit();
}

function setLanguage(next) {
  lang = next;
  localStorage.setItem('preclass-lang', lang);
  t = applyLanguage(lang);
  const button = $('lang');
  button.textContent = t.langButton;
  button.lang = t.langCode === 'zh' ? 'zh-CN' : 'en';
  button.setAttribute('aria-label', t.langLabel);
  if (chosenCandidate) chosen.textContent = t.chosenIs(formatCode(chosenCandidate.code), chosenCandidate.description);
  if (lastResult) render(lastResult);
  if (audit) showAudit();
}

async function main() {
  setLanguage(lang);
  $('lang').addEventListener('click', () => setLanguage(lang === 'en' ? 'zh' : 'en'));
  $('product').addEventListener('submit', (ev) => ev.preventDefault());
  status.textContent = t.loading;
  try {
    hs = await load({ worker: typeof Worker !== 'undefined' });
  } catch {
    hs = await load();
  }
  const info = await hs.info();
  indexInfo = info;
  $('about').textContent = t.about(info);
  audit = await openAuditLog();
  const failed = (err) => { status.textContent = t.failed(err.message); };
  $('use').addEventListener('click', () => decide('chosen').catch(failed));
  $('use-typed').addEventListener('click', () => decide('typed').catch(failed));
  $('use-none').addEventListener('click', () => decide('none').catch(failed));
  $('audit-from').addEventListener('change', showAudit);
  $('audit-to').addEventListener('change', showAudit);
  $('export-jsonl').addEventListener('click', async () => download('preclass-audit.jsonl', await audit.exportJsonl(), 'application/jsonl'));
  $('export-csv').addEventListener('click', async () => download('preclass-audit.csv', await audit.exportCsv(), 'text/csv'));
  $('import-log').addEventListener('change', async (ev) => {
    const file = ev.target.files?.[0];
    if (!file) return;
    try {
      const v = await audit.importLog(await file.text());
      status.textContent = t.imported(v.records);
    } catch (err) {
      status.textContent = err.message;
    }
    ev.target.value = '';
    await showAudit();
  });
  await showAudit();
  status.textContent = t.ready;
  for (const f of FIELDS) $(f).addEventListener('input', schedule);
  for (const r of document.querySelectorAll('input[name="direction"]')) r.addEventListener('change', schedule);
  input.addEventListener('keydown', onKey);
  // The list is part of the page, not a popup: it stays when focus moves on
  // (closing it on blur moved the buttons below it under the user's click).
  input.addEventListener('focus', () => { if (candidates.length) setExpanded(true); });
  if (input.value.trim()) schedule();
  document.documentElement.dataset.ready = 'true';
  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  }
}

main().catch((err) => {
  status.textContent = t.failed(err.message);
});
