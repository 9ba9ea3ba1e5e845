// Interface text in English and Simplified Chinese. Elements carry
// data-i18n (text) or data-i18n-placeholder (placeholder) keys.
export const TEXT = {
  en: {
    title: 'HS code suggestions',
    privacy: 'Your product data stays in this browser: suggestions are computed on this device and nothing you type is sent anywhere.',
    text: 'Product description', textHint: 'e.g. stainless steel kitchen sink',
    material: 'Material', materialHint: 'e.g. stainless steel',
    function: 'Function', functionHint: 'e.g. keeps drinks hot',
    use: 'Intended use', useHint: 'e.g. household',
    category: 'Category', categoryHint: 'e.g. Home & Garden > Kitchen',
    suggestions: 'Suggestions', chosen: 'Chosen code', none: 'None yet',
    emptyHint: 'Type a description to see suggested codes. Use the arrow keys to move, Enter to choose, Escape to close.',
    loading: 'Loading the classifier…', ready: 'Ready. Classification runs offline in this browser.',
    count: (n) => (n === 1 ? '1 suggestion' : `${n} suggestions`),
    noMatch: 'No suggestions: none of these words is known. Try the product noun or its material.',
    confidence: 'confidence', matched: 'Matched', against: 'against', alerts: 'Alerts', noAlerts: 'No regulatory alerts loaded for this code.',
    chosenIs: (code, desc) => `${code} — ${desc}`, failed: (m) => `The classifier could not run: ${m}`,
    about: (i) => `Index ${i.edition}, ${i.generator}, checksum ${i.checksum}. Works offline once loaded.`,
    needsReview: 'Low confidence: check these codes before you use one.',
    partial: 'some lines under this code', flow: 'Trade flow', export: 'Export', import: 'Import',
    typedLabel: 'Or type the code you will declare', noteLabel: 'Note for the record (optional)',
    useCode: 'Use this code', useTyped: 'Use the typed code', noneOfThese: 'None of these',
    auditTitle: 'Audit trail (kept in this browser)', from: 'From', to: 'To',
    exportJsonl: 'Export JSON Lines', exportCsv: 'Export CSV', importLog: 'Import a log',
    auditCaption: 'Recorded decisions', time: 'Time', description: 'Description', decision: 'Decision', noteCol: 'Note',
    recorded: (r) => `Recorded #${r.seq}: ${r.decision.kind === 'none' ? 'none of these' : r.decision.code}`,
    chainOk: (n) => `${n} ${n === 1 ? 'record' : 'records'}; the hash chain verifies.`,
    chainBroken: (v) => `The hash chain breaks at record ${v.record}: ${v.reason}`,
    chooseFirst: 'Choose a suggestion first (arrow keys and Enter, or a click).',
    typeFirst: 'Type a code of 6 to 10 digits first.', imported: (n) => `Imported ${n} records after verifying them.`,
    noneDecision: 'none of these',
    showAll: 'show all', narrowed: (n) => `${n} shown after your answer`,
    question: (q) => q.question, answer: (o) => o.answer,
    langButton: '中文', langLabel: '切换到中文', langCode: 'zh',
  },
  zh: {
    title: 'HS 编码建议',
    privacy: '您的商品数据只保留在本浏览器中：建议在本机计算，您输入的任何内容都不会被发送。',
    text: '商品描述', textHint: '例如：不锈钢厨房水槽',
    material: '材质', materialHint: '例如：不锈钢',
    function: '功能', functionHint: '例如：保温',
    use: '用途', useHint: '例如：家用',
    category: '类目', categoryHint: '例如：家居 > 厨房',
    suggestions: '建议编码', chosen: '已选编码', none: '尚未选择',
    emptyHint: '输入商品描述即可看到建议编码。方向键移动，回车选择，Esc 关闭。',
    loading: '正在加载分类器…', ready: '已就绪。分类在本浏览器中离线运行。',
    count: (n) => `${n} 条建议`,
    noMatch: '没有建议：这些词都不认识。请尝试商品名称或材质。',
    confidence: '置信度', matched: '匹配', against: '排除', alerts: '提示', noAlerts: '此编码暂无已加载的监管提示。',
    chosenIs: (code, desc) => `${code} — ${desc}`, failed: (m) => `分类器无法运行：${m}`,
    about: (i) => `索引 ${i.edition}，${i.generator}，校验值 ${i.checksum}。加载后可离线使用。`,
    needsReview: '置信度低：使用前请核对这些编码。',
    partial: '此编码下的部分子目', flow: '贸易方向', export: '出口', import: '进口',
    typedLabel: '或输入将申报的编码', noteLabel: '记录备注（可选）',
    useCode: '使用此编码', useTyped: '使用输入的编码', noneOfThese: '都不是',
    auditTitle: '审计记录（保存在本浏览器中）', from: '起始日期', to: '截止日期',
    exportJsonl: '导出 JSON Lines', exportCsv: '导出 CSV', importLog: '导入记录',
    auditCaption: '已记录的决定', time: '时间', description: '描述', decision: '决定', noteCol: '备注',
    recorded: (r) => `已记录 #${r.seq}：${r.decision.kind === 'none' ? '都不是' : r.decision.code}`,
    chainOk: (n) => `${n} 条记录；哈希链校验通过。`,
    chainBroken: (v) => `哈希链在第 ${v.record} 条记录处断开：${v.reason}`,
    chooseFirst: '请先选择一个建议（方向键和回车，或点击）。',
    typeFirst: '请先输入 6 到 10 位编码。', imported: (n) => `已校验并导入 ${n} 条记录。`,
    noneDecision: '都不是',
    showAll: '显示全部', narrowed: (n) => `根据您的回答显示 ${n} 条`,
    question: (q) => q.question_zh, answer: (o) => o.answer_zh,
    langButton: 'English', langLabel: 'Switch to English', langCode: 'en',
  },
};

/** Applies a language to every tagged element; returns the dictionary. */
export function applyLanguage(lang, root = document) {
  const t = TEXT[lang] ?? TEXT.en;
  root.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const v = t[el.dataset.i18n];
    if (typeof v === 'string') el.textContent = v;
  }
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) {
    const v = t[el.dataset.i18nPlaceholder];
    if (typeof v === 'string') el.placeholder = v;
  }
  return t;
}
