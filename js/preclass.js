// preclass: HS code suggestions computed where the data is, in the browser or in Node.
// No product data leaves the machine: the module and the index are loaded once,
// every classification runs locally.
//
//   import { load } from './preclass.js';
//   const hs = await load();                       // embedded default index
//   const { candidates } = await hs.classify({ text: 'stainless steel kitchen sink' });
//   hs.destroy();

import init, { Classifier, formatVersion, generator } from './preclass_wasm.js';

const LOAD_OPTIONS = ['indexUrl', 'indexBytes', 'worker', 'wasmUrl'];
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

let ready = null;

/** Initializes the wasm module once per realm. */
function initModule(wasmUrl) {
  if (!ready) {
    ready = (async () => {
      if (isNode) {
        const { readFile } = await import('node:fs/promises');
        const bytes = await readFile(wasmUrl ?? new URL('./preclass_wasm_bg.wasm', import.meta.url));
        await init({ module_or_path: bytes });
      } else {
        await init({ module_or_path: wasmUrl ?? new URL('./preclass_wasm_bg.wasm', import.meta.url) });
      }
    })();
    ready.catch(() => { ready = null; });
  }
  return ready;
}

async function readIndex(indexUrl) {
  if (isNode && !/^https?:/.test(String(indexUrl))) {
    const { readFile } = await import('node:fs/promises');
    return new Uint8Array(await readFile(indexUrl));
  }
  const response = await fetch(indexUrl);
  if (!response.ok) {
    throw new Error(`preclass: could not fetch the index ${indexUrl}: HTTP ${response.status}`);
  }
  return new Uint8Array(await response.arrayBuffer());
}

function checkOptions(options) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('preclass: load() takes an options object');
  }
  const unknown = Object.keys(options).filter((k) => !LOAD_OPTIONS.includes(k));
  if (unknown.length) {
    throw new TypeError(`preclass: unknown option ${unknown.join(', ')}; allowed: ${LOAD_OPTIONS.join(', ')}`);
  }
}

function wrap(classifier) {
  let alive = true;
  const live = () => {
    if (!alive) throw new Error('preclass: this classifier was destroyed; call load() again');
    return classifier;
  };
  return {
    /** Ranked HS codes for a description string or a query object. */
    async classify(query, options) { return live().classify(query, options); },
    /** Path, text and children of a code. */
    async lookup(code) { return live().lookup(String(code)); },
    /** Edition, generator, format version and checksum of the loaded index. */
    async info() { return live().info(); },
    /** One JSON Lines answer, exactly as `preclass classify --jsonl` writes it. */
    answerJsonLine(line, lineNo, top = 5) { return live().answerJsonLine(line, lineNo, top); },
    /** Frees the index. The object cannot be used afterwards. */
    destroy() {
      if (alive) {
        alive = false;
        classifier.free();
      }
    },
  };
}

function loadInWorker(options) {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  let next = 0;
  const pending = new Map();
  worker.onmessage = ({ data }) => {
    const p = pending.get(data.id);
    if (!p) return;
    pending.delete(data.id);
    if ('error' in data) p.reject(new Error(data.error));
    else p.resolve(data.result);
  };
  worker.onerror = (event) => {
    for (const p of pending.values()) p.reject(new Error(`preclass worker failed: ${event.message}`));
    pending.clear();
  };
  const call = (method, args) => new Promise((resolve, reject) => {
    const id = ++next;
    pending.set(id, { resolve, reject });
    worker.postMessage({ id, method, args });
  });
  let alive = true;
  const live = () => {
    if (!alive) throw new Error('preclass: this classifier was destroyed; call load() again');
  };
  const { worker: _, ...inner } = options;
  return call('load', [inner]).then(() => ({
    async classify(query, opts) { live(); return call('classify', [query, opts]); },
    async lookup(code) { live(); return call('lookup', [String(code)]); },
    async info() { live(); return call('info', []); },
    destroy() {
      if (alive) {
        alive = false;
        worker.terminate();
        for (const p of pending.values()) p.reject(new Error('preclass: destroyed'));
        pending.clear();
      }
    },
  }), (err) => {
    worker.terminate();
    throw err;
  });
}

/**
 * Loads preclass. Options: `indexUrl` (an index file, e.g. `index.<hash>.pcx`, or in
 * Node a path), `indexBytes` (an index already in memory), `worker` (run in a Web Worker
 * so typing never blocks the page), `wasmUrl` (where the module is served).
 * Without an index option the index embedded in the module is used.
 */
export async function load(options = {}) {
  checkOptions(options);
  if (options.worker) {
    if (typeof Worker === 'undefined') throw new Error('preclass: Web Workers are not available here');
    return loadInWorker(options);
  }
  await initModule(options.wasmUrl);
  let bytes = options.indexBytes;
  if (!bytes && options.indexUrl) bytes = await readIndex(options.indexUrl);
  const classifier = bytes ? new Classifier(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    : Classifier.withDefaultIndex();
  return wrap(classifier);
}

/** The module's own version labels, to compare with an index's `info()`. */
export async function moduleInfo(options = {}) {
  await initModule(options.wasmUrl);
  return { generator: generator(), formatVersion: formatVersion() };
}
