// Type-level test of the npm package (checked by `tsc -p tests/types`): every
// option and result field is used as a consumer would, so a change to the
// published types that breaks consumers fails the build.
import { load, moduleInfo } from '../../pkg/preclass.js';
import { openAuditLog, verifyLines, logLines, GENESIS } from '../../pkg/audit.js';
import type { AuditRecord, Verification } from '../../pkg/audit.js';
import type { Classification, Candidate, Evidence, Lookup, PathStep, Question, Answer, Alert, IndexInfo, LoadOptions, Query } from '../../pkg/preclass.js';

async function main(): Promise<void> {
  const options: LoadOptions = { worker: true, indexUrl: 'index.0123456789abcdef.pcx', wasmUrl: new URL('x', 'http://localhost/') };
  const hs = await load(options);
  const query: Query = { text: 'salad bowl', material: 'plastic', function: 'serving', use: 'household', category: 'Home > Kitchen', attributes: { pieces: 4, dishwasher: true, colour: 'red' } };
  const result: Classification = await hs.classify(query, { top: 3, direction: 'import' });
  const first: Candidate | undefined = result.candidates[0];
  if (first) {
    const code: string = first.code;
    const numbers: number[] = [first.level, first.score, first.confidence];
    const path: PathStep[] = first.path;
    const zh: string | undefined = path[0]?.description_zh;
    const why: Evidence[] = first.why;
    const against: boolean | undefined = why[0]?.against;
    const fields: string[] = why.map((e) => `${e.term} ${e.field} ${e.code} ${e.from}`);
    const flags: string[] | undefined = first.flags;
    const alerts: Alert[] = [...first.alerts, ...first.alerts_other_direction];
    const alertFields: Array<string | boolean | undefined> = alerts.flatMap((a) => [a.scheme, a.code, a.title, a.title_zh, a.direction, a.severity, a.source, a.attached_to, a.partial]);
    void [code, numbers, zh, against, fields, flags, first.description, alertFields];
  }
  const q: Question | undefined = result.questions[0];
  const answers: Answer[] = q ? q.options : [];
  const codes: string[] = answers.flatMap((a) => [a.answer, a.answer_zh, ...a.codes]);
  const review: boolean = result.needs_review;
  const byString: Classification = await hs.classify('stainless steel kitchen sink');
  const lookup: Lookup = await hs.lookup('8471');
  const children: PathStep[] = lookup.children;
  const note: string | undefined = lookup.note;
  const lookupAlerts: Alert[] = lookup.alerts;
  void lookupAlerts;
  const sectionCode: string = lookup.section.code;
  const info: IndexInfo = await hs.info();
  const infoFields: Array<string | number> = [info.edition, info.generator, info.formatVersion, info.checksum, info.lexiconEntries, info.examples, ...info.sources];
  const mod = await moduleInfo();
  const version: number = mod.formatVersion;
  void [codes, review, byString, children, note, sectionCode, infoFields, version, q?.dimension, q?.question, q?.question_zh];
  const log = await openAuditLog({ name: 'test' });
  const rec: AuditRecord = await log.record({ query, candidates: result.candidates, index: { checksum: info.checksum, edition: info.edition, generator: info.generator }, decision: { kind: 'chosen', code: '392410' }, note: 'ok' });
  const recFields: Array<string | number | null> = [rec.seq, rec.time, rec.prev, rec.hash, rec.decision.code, rec.decision.kind, rec.note, rec.candidates[0]?.code ?? null];
  const listed: AuditRecord[] = await log.list({ from: '2026-01-01T00:00:00Z' });
  const v: Verification = await verifyLines(logLines(await log.exportJsonl()));
  const outcome: string = v.ok ? `${v.records} ${v.head}` : `${v.record} ${v.reason}`;
  const imported: Verification = await log.importLog(await log.exportCsv());
  void [recFields, listed, outcome, imported, GENESIS, await log.verify()];
  log.close();
  hs.destroy();
}

void main;
