#!/usr/bin/env node
// The wasm module under Node 20, with the native CLI's JSONL contract:
//   node scripts/classify.mjs --jsonl [--top N] [--index FILE] < queries.jsonl
//   node scripts/classify.mjs "stainless steel kitchen sink"      (JSON to stdout)
// Uses pkg/ (build it with scripts/build-wasm).
import { load } from '../pkg/preclass.js';

function usage(msg) {
  process.stderr.write(`error: ${msg}\nusage: node scripts/classify.mjs --jsonl [--top N] [--index FILE] | "description"\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let jsonl = false;
let top = 5;
let index;
const words = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--jsonl') jsonl = true;
  else if (a === '--top') {
    top = Number(args[++i]);
    if (!Number.isInteger(top) || top < 0) usage('--top takes a whole number');
  } else if (a === '--index') {
    index = args[++i];
    if (!index) usage('--index takes a file');
  } else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else words.push(a);
}

let hs;
try {
  hs = await load(index ? { indexUrl: index } : {});
} catch (err) {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
}

if (jsonl) {
  if (words.length) usage('--jsonl reads queries from stdin; do not also pass a description');
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const input = Buffer.concat(chunks);
  const out = [];
  let start = 0;
  let lineNo = 0;
  // Lines are split on \n as bytes, so invalid UTF-8 reaches the core as the CLI sees it.
  while (start < input.length) {
    let end = input.indexOf(0x0a, start);
    if (end === -1) end = input.length;
    lineNo += 1;
    out.push(hs.answerJsonLine(input.subarray(start, end), lineNo, top));
    start = end + 1;
  }
  process.stdout.write(out.length ? `${out.join('\n')}\n` : '');
} else {
  if (!words.length) usage('pass a description or --jsonl');
  try {
    const result = await hs.classify(words.join(' '), { top });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } catch (err) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  }
}
hs.destroy();
