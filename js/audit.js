// The audit trail: every classification the user acts on becomes a record,
// stored in this browser's IndexedDB and never sent anywhere. Records form a
// hash chain: each carries the SHA-256 of the previous record, so an edited,
// deleted or reordered record is detected (here and by `preclass audit verify`).
//
// A record's exported line is JSON.stringify(record without hash) with
// ,"hash":"<sha256 of exactly that text>" inserted before the final brace.

export const GENESIS = '0'.repeat(64);
const STORE = 'records';

async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Seals a record (with seq and prev, without hash) into its line; returns { line, hash }. */
export async function sealRecord(record) {
  const body = JSON.stringify(record);
  const hash = await sha256Hex(body);
  return { line: `${body.slice(0, -1)},"hash":"${hash}"}`, hash };
}

const SUFFIX = ',"hash":"'.length + 64 + 2;

/** Verifies record lines in order: { ok, records, head } or { ok: false, record, seq, reason }. */
export async function verifyLines(lines) {
  let prev = GENESIS;
  let n = 0;
  for (const [i, line] of lines.entries()) {
    const record = i + 1;
    const fail = (reason, seq) => ({ ok: false, record, seq, reason });
    if (line.length < SUFFIX + 2 || !line.endsWith('"}') || line.slice(line.length - SUFFIX, line.length - SUFFIX + 9) !== ',"hash":"') {
      return fail('not a record: the hash must be its last field');
    }
    const hash = line.slice(line.length - SUFFIX + 9, line.length - 2);
    const body = `${line.slice(0, line.length - SUFFIX)}}`;
    let value;
    try {
      value = JSON.parse(body);
    } catch (err) {
      return fail(`not valid JSON: ${err.message}`);
    }
    if ((await sha256Hex(body)) !== hash) return fail('its content does not match its hash: the record was changed', value.seq);
    if (value.seq !== record) return fail(`seq is ${value.seq}, expected ${record}: records were deleted, inserted or reordered`, value.seq);
    if (value.prev !== prev) return fail('prev is not the hash of the record before it: records were deleted, inserted or reordered', value.seq);
    prev = hash;
    n = record;
  }
  return { ok: true, records: n, head: prev };
}

/** Minimal CSV (RFC 4180) reader: rows of fields. */
export function parseCsv(text, sep = ',') {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) { row.push(field); field = ''; } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field); rows.push(row); row = []; field = '';
    } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}

const csvField = (v) => {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The record lines of an exported log: JSON Lines, or CSV with a `record` column. */
export function logLines(text) {
  const t = text.replace(/^\uFEFF/, '');
  if (t.trimStart().startsWith('{') || !t.trim()) return t.split('\n').filter((l) => l.trim());
  const rows = parseCsv(t);
  const col = rows[0]?.indexOf('record') ?? -1;
  if (col < 0) throw new Error('preclass audit: a CSV log needs its `record` column');
  return rows.slice(1).filter((r) => r.some((f) => f)).map((r) => r[col] ?? '');
}

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

/**
 * Opens the audit log stored in this browser (IndexedDB database `name`).
 * record() appends a decision; list(), exportJsonl(), exportCsv(), verify(),
 * importLog(text) and clear() work on the whole chain.
 */
export async function openAuditLog({ name = 'preclass-audit' } = {}) {
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'seq' });
  const db = await request(open);
  const all = async () => request(db.transaction(STORE).objectStore(STORE).getAll());

  return {
    /**
     * Records a decision: { query, candidates (as shown), index ({ checksum, edition, generator }),
     * decision ({ kind: 'chosen' | 'typed' | 'none', code }), note }. Returns the stored record.
     */
    async record({ query, candidates, index, decision, note = '' }) {
      for (let attempt = 0; attempt < 5; attempt++) {
        const last = await request(db.transaction(STORE).objectStore(STORE).openCursor(null, 'prev'));
        const seq = last ? last.value.seq + 1 : 1;
        const prev = last ? last.value.hash : GENESIS;
        const record = {
          seq,
          time: new Date().toISOString(),
          prev,
          query,
          candidates: (candidates ?? []).map((c) => ({
            code: c.code,
            score: c.score,
            confidence: c.confidence,
            alerts: (c.alerts ?? []).map((a) => `${a.scheme} ${a.code}`),
          })),
          index,
          decision,
          note,
        };
        const { line, hash } = await sealRecord(record);
        const tx = db.transaction(STORE, 'readwrite');
        tx.objectStore(STORE).add({ seq, time: record.time, hash, line });
        try {
          await done(tx);
          return { ...record, hash };
        } catch (err) {
          if (err?.name !== 'ConstraintError') throw err; // another tab took this seq: chain on
        }
      }
      throw new Error('preclass audit: could not append a record');
    },
    /** Records (parsed, with hash), optionally between two ISO dates (inclusive). */
    async list({ from, to } = {}) {
      return (await all())
        .filter((r) => (!from || r.time >= from) && (!to || r.time <= to))
        .map((r) => ({ ...JSON.parse(r.line), line: r.line }));
    },
    /** The whole log as JSON Lines (the verifiable form). */
    async exportJsonl() {
      return (await all()).map((r) => `${r.line}\n`).join('');
    },
    /** The whole log as CSV for spreadsheets; its `record` column keeps it verifiable. */
    async exportCsv() {
      const head = ['seq', 'time', 'text', 'material', 'decision', 'code', 'note', 'top_code', 'top_confidence', 'index_checksum', 'hash', 'record'];
      const rows = (await all()).map((r) => {
        const x = JSON.parse(r.line);
        return [x.seq, x.time, x.query?.text, x.query?.material, x.decision?.kind, x.decision?.code, x.note,
          x.candidates?.[0]?.code, x.candidates?.[0]?.confidence, x.index?.checksum, r.hash, r.line];
      });
      return [head, ...rows].map((row) => row.map(csvField).join(',')).join('\n') + '\n';
    },
    /** Verifies the stored chain. */
    async verify() {
      return verifyLines((await all()).map((r) => r.line));
    },
    /** Replaces the log by an exported one (JSON Lines or CSV), after verifying it. */
    async importLog(text) {
      const lines = logLines(text);
      const v = await verifyLines(lines);
      if (!v.ok) throw new Error(`preclass audit: not imported: the chain breaks at record ${v.record}: ${v.reason}`);
      const tx = db.transaction(STORE, 'readwrite');
      const store = tx.objectStore(STORE);
      store.clear();
      for (const line of lines) {
        const x = JSON.parse(`${line.slice(0, line.length - SUFFIX)}}`);
        store.add({ seq: x.seq, time: x.time, hash: line.slice(line.length - SUFFIX + 9, line.length - 2), line });
      }
      await done(tx);
      return v;
    },
    /** Deletes every record. */
    async clear() {
      const tx = db.transaction(STORE, 'readwrite');
      tx.objectStore(STORE).clear();
      await done(tx);
    },
    close() {
      db.close();
    },
  };
}
