// <hs-suggest for="description-field">: HS code suggestions next to an existing
// product-description input of any portal or ERP form.
//
//   <input id="description-field">
//   <hs-suggest for="description-field" top="5"></hs-suggest>
//   <script type="module" src="hs-suggest.js"></script>
//   el.addEventListener('hs-select', (e) => e.detail.code)
//
// Attributes: for (id of the input, required), top (1-10, default 5),
// index-url (an index file instead of the embedded default), lang (en|zh).
// Events: `hs-select` (bubbles, composed) with detail { code, candidate,
// candidates, text } when the user picks a suggestion by click or Enter.
// Each suggestion shows its regulatory alerts (* = some lines under the code).
// Rendering lives in a shadow root with `all: initial`, so no style leaks in
// or out. Everything shown goes through textContent.
import { load } from './pkg/preclass.js';

const loaders = new Map(); // one classifier per index, shared by all widgets

function classifier(indexUrl) {
  const key = indexUrl ?? '';
  if (!loaders.has(key)) {
    const options = { worker: typeof Worker !== 'undefined' };
    if (indexUrl) options.indexUrl = indexUrl;
    const p = load(options).catch(() => load(indexUrl ? { indexUrl } : {}));
    p.catch(() => loaders.delete(key));
    loaders.set(key, p);
  }
  return loaders.get(key);
}

const STYLE = `
:host { all: initial; display: block; position: relative; font: 14px/1.4 system-ui, sans-serif; color: #1d2430; }
:host([hidden]) { display: none; }
ul { list-style: none; margin: 4px 0 0; padding: 0; border: 1px solid #c9d0d9; border-radius: 6px; background: #fff; }
ul[hidden] { display: none; }
li { padding: 6px 10px; border-top: 1px solid #eef1f4; cursor: pointer; }
li:first-child { border-top: 0; }
li[aria-selected="true"] { background: #e4effa; }
.code { font-weight: 700; margin-right: 8px; }
.conf { color: #5a6472; font-size: 12px; margin-left: 6px; }
.desc { display: block; color: #3a4452; }
.alert { display: block; color: #7a4a00; font-size: 12px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

const TEXT = {
  en: { count: (n) => (n === 1 ? '1 suggestion' : `${n} suggestions`), label: 'Suggested HS codes', conf: 'confidence' },
  zh: { count: (n) => `${n} 条建议`, label: '建议的 HS 编码', conf: '置信度' },
};

function formatCode(code) {
  return code.replace(/^(\d{4})(\d{2})$/, '$1.$2');
}

export class HsSuggest extends HTMLElement {
  #input = null;
  #list;
  #live;
  #candidates = [];
  #active = -1;
  #search = 0;
  #timer = 0;
  #onInput = () => this.#schedule();
  #onKey = (ev) => this.#key(ev);
  #onBlur = () => this.#close();

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    this.#list = document.createElement('ul');
    this.#list.setAttribute('role', 'listbox');
    this.#list.hidden = true;
    this.#live = document.createElement('span');
    this.#live.className = 'sr';
    this.#live.setAttribute('role', 'status');
    this.#live.setAttribute('aria-live', 'polite');
    root.append(style, this.#list, this.#live);
  }

  static get observedAttributes() {
    return ['for', 'lang'];
  }

  get #text() {
    return TEXT[this.getAttribute('lang') === 'zh' ? 'zh' : 'en'];
  }

  connectedCallback() {
    this.#list.setAttribute('aria-label', this.#text.label);
    this.#attach();
  }

  disconnectedCallback() {
    this.destroy();
  }

  attributeChangedCallback(name) {
    if (name === 'for' && this.isConnected) this.#attach();
    if (name === 'lang') this.#list.setAttribute('aria-label', this.#text.label);
  }

  /** Removes every listener from the input. */
  destroy() {
    clearTimeout(this.#timer);
    if (this.#input) {
      this.#input.removeEventListener('input', this.#onInput);
      this.#input.removeEventListener('keydown', this.#onKey);
      this.#input.removeEventListener('blur', this.#onBlur);
      this.#input = null;
    }
  }

  /** The candidates currently shown. */
  get candidates() {
    return this.#candidates.slice();
  }

  #attach() {
    this.destroy();
    const id = this.getAttribute('for');
    const input = id ? this.ownerDocument.getElementById(id) : null;
    if (!input) return;
    this.#input = input;
    input.addEventListener('input', this.#onInput);
    input.addEventListener('keydown', this.#onKey);
    input.addEventListener('blur', this.#onBlur);
  }

  #schedule() {
    clearTimeout(this.#timer);
    this.#search++;
    this.#timer = setTimeout(() => this.#update(), 120);
  }

  async #update() {
    const mine = ++this.#search;
    const text = this.#input?.value.trim() ?? '';
    if (!text) {
      this.#render([]);
      return;
    }
    const top = Math.min(10, Math.max(1, Number(this.getAttribute('top')) || 5));
    try {
      const hs = await classifier(this.getAttribute('index-url') ?? undefined);
      const result = await hs.classify({ text }, { top });
      if (mine === this.#search) this.#render(result.candidates);
    } catch {
      if (mine === this.#search) this.#render([]);
    }
  }

  #render(candidates) {
    this.#candidates = candidates;
    this.#active = -1;
    this.#list.replaceChildren();
    candidates.forEach((c, i) => {
      const li = document.createElement('li');
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.code = c.code;
      const code = document.createElement('span');
      code.className = 'code';
      code.textContent = formatCode(c.code);
      const conf = document.createElement('span');
      conf.className = 'conf';
      conf.textContent = `${this.#text.conf} ${Math.round(c.confidence * 100)}%`;
      const desc = document.createElement('span');
      desc.className = 'desc';
      desc.textContent = c.description;
      li.append(code, conf, desc);
      for (const a of c.alerts ?? []) {
        const alert = document.createElement('span');
        alert.className = 'alert';
        alert.textContent = `${a.scheme} · ${this.getAttribute('lang') === 'zh' ? a.title_zh : a.title}${a.partial ? ' *' : ''}`;
        li.append(alert);
      }
      li.addEventListener('mousedown', (ev) => ev.preventDefault());
      li.addEventListener('click', () => this.#select(i));
      this.#list.append(li);
    });
    this.#list.hidden = candidates.length === 0;
    this.#live.textContent = candidates.length ? this.#text.count(candidates.length) : '';
  }

  #setActive(i) {
    const items = this.#list.children;
    if (!items.length) return;
    this.#active = (i + items.length) % items.length;
    for (let k = 0; k < items.length; k++) items[k].setAttribute('aria-selected', String(k === this.#active));
    const c = this.#candidates[this.#active];
    this.#live.textContent = `${formatCode(c.code)} ${c.description} (${this.#active + 1}/${items.length})`;
  }

  #key(ev) {
    if (this.#list.hidden) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      this.#setActive(this.#active < 0 ? (ev.key === 'ArrowDown' ? 0 : -1) : this.#active + (ev.key === 'ArrowDown' ? 1 : -1));
    } else if (ev.key === 'Enter' && this.#active >= 0) {
      ev.preventDefault();
      this.#select(this.#active);
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      this.#close();
    }
  }

  #close() {
    this.#list.hidden = true;
    this.#active = -1;
  }

  #select(i) {
    const candidate = this.#candidates[i];
    if (!candidate) return;
    this.#close();
    this.dispatchEvent(new CustomEvent('hs-select', {
      bubbles: true,
      composed: true,
      detail: { code: candidate.code, candidate, candidates: this.candidates, text: this.#input?.value ?? '' },
    }));
  }
}

if (!customElements.get('hs-suggest')) customElements.define('hs-suggest', HsSuggest);
