// Offline support: the page, its modules, the wasm module and the embedded
// index are cached on first load and served from the cache afterwards, so
// the demo keeps working without a network. Only same-origin GETs are handled.
const CACHE = 'preclass-v1';
const SHELL = ['./', 'index.html', 'style.css', 'app.js', 'i18n.js', 'hs-suggest.js',
  'pkg/preclass.js', 'pkg/preclass_wasm.js', 'pkg/preclass_wasm_bg.wasm', 'pkg/worker.js', 'pkg/audit.js'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // Network first (so a rebuilt module is picked up), cache when offline.
  event.respondWith(fetch(request).then((response) => {
    const copy = response.clone();
    if (response.ok) caches.open(CACHE).then((c) => c.put(request, copy));
    return response;
  }).catch(() => caches.match(request, { ignoreSearch: true }).then((r) => r ?? Response.error())));
});
