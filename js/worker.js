// The Web Worker side of load({ worker: true }): owns the classifier and
// answers { id, method, args } messages with { id, result } or { id, error }.
import { load } from './preclass.js';

let api = null;

self.onmessage = async ({ data }) => {
  const { id, method, args } = data;
  try {
    let result;
    if (method === 'load') {
      api = await load(args[0]);
      result = await api.info();
    } else if (!api) {
      throw new Error('preclass worker: not loaded');
    } else if (method === 'classify' || method === 'lookup' || method === 'info') {
      result = await api[method](...args);
    } else {
      throw new Error(`preclass worker: unknown method ${method}`);
    }
    self.postMessage({ id, result });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
