/** Every UI string, in Chinese and English. */
export type Lang = 'zh' | 'en';

const strings = {
  appName: { zh: 'ketwin 油库风险监测', en: 'ketwin depot risk monitor' },
  sites: { zh: '站点', en: 'Sites' },
  site: { zh: '站点', en: 'Site' },
  allSites: { zh: '全部站点', en: 'All sites' },
  score: { zh: '得分', en: 'Score' },
  grade: { zh: '等级', en: 'Grade' },
  risk: { zh: '风险', en: 'Risk' },
  coverage: { zh: '数据覆盖率', en: 'Data coverage' },
  activeAlerts: { zh: '活动告警', en: 'Active alerts' },
  open: { zh: '查看', en: 'Open' },
  noSites: { zh: '尚无站点', en: 'No sites yet' },
  noScore: { zh: '暂无评分', en: 'not scored yet' },
  loading: { zh: '加载中…', en: 'Loading…' },
  loadFailed: { zh: '加载失败', en: 'Could not load' },
  retry: { zh: '重试', en: 'Retry' },
  back: { zh: '返回站点列表', en: 'Back to all sites' },
  alerts: { zh: '告警', en: 'Alerts' },
  noAlerts: { zh: '当前无告警', en: 'No active alerts' },
  kind: { zh: '类型', en: 'Kind' },
  message: { zh: '内容', en: 'Message' },
  since: { zh: '起始时间', en: 'Since' },
  severity: { zh: '级别', en: 'Severity' },
  state: { zh: '状态', en: 'State' },
  clauses: { zh: '条款核查', en: 'Clause checks' },
  clause: { zh: '条款', en: 'Clause' },
  title: { zh: '名称', en: 'Title' },
  source: { zh: '依据', en: 'Source' },
  subject: { zh: '对象', en: 'Subject' },
  verdict: { zh: '结论', en: 'Verdict' },
  evidence: { zh: '证据', en: 'Evidence' },
  thresholds: { zh: '阈值', en: 'Thresholds' },
  noResult: { zh: '尚无结论', en: 'no verdict yet' },
  unconfirmed: { zh: '待核实', en: 'unconfirmed' },
  plan: { zh: '平面图', en: 'Site plan' },
  language: { zh: 'English', en: '中文' },
  languageLabel: { zh: '切换语言', en: 'Switch language' },
  standard: { zh: '标准', en: 'Standard' },
  'verdict.pass': { zh: '合格', en: 'pass' },
  'verdict.fail': { zh: '不合格', en: 'fail' },
  'verdict.unknown': { zh: '未知', en: 'unknown' },
  'verdict.not-applicable': { zh: '不适用', en: 'n/a' },
  'risk.red': { zh: '红色（重大）', en: 'red (major)' },
  'risk.orange': { zh: '橙色（较大）', en: 'orange (high)' },
  'risk.yellow': { zh: '黄色（一般）', en: 'yellow (moderate)' },
  'risk.blue': { zh: '蓝色（低）', en: 'blue (low)' },
  'quality.good': { zh: '良好', en: 'good' },
  'quality.uncertain': { zh: '存疑', en: 'uncertain' },
  'quality.bad': { zh: '失效', en: 'bad' },
  'alertState.active': { zh: '未确认', en: 'active' },
  'alertState.acknowledged': { zh: '已确认', en: 'acknowledged' },
  'alertState.shelved': { zh: '已搁置', en: 'shelved' },
  'alertState.cleared': { zh: '已解除', en: 'cleared' },
  'connection.connecting': { zh: '连接中', en: 'connecting' },
  'connection.live': { zh: '实时', en: 'live' },
  'connection.reconnecting': { zh: '重连中', en: 'reconnecting' },
  'connection.closed': { zh: '已断开', en: 'disconnected' },
  notFound: { zh: '未找到该站点', en: 'Site not found' },
  signIn: { zh: '登录', en: 'Sign in' },
  signOut: { zh: '退出', en: 'Sign out' },
  userName: { zh: '用户名', en: 'User name' },
  password: { zh: '密码', en: 'Password' },
  demoUsers: {
    zh: '演示模式：已创建演示用户 manager、auditor、rescue，密码在服务器启动时打印于控制台。',
    en: 'Demo mode: demo users manager, auditor and rescue exist; their passwords were printed on the server console at start.',
  },
  'role.manager': { zh: '油库安全负责人', en: 'safety manager' },
  'role.auditor': { zh: '人防办审核', en: 'civil air defence auditor' },
  'role.rescue': { zh: '救援队', en: 'rescue team' },
  'role.admin': { zh: '管理员', en: 'administrator' },
  allCategories: { zh: '全部类别', en: 'All categories' },
  allVerdicts: { zh: '全部结论', en: 'All verdicts' },
  category: { zh: '类别', en: 'Category' },
  confidence: { zh: '可信度', en: 'Confidence' },
  confirmed: { zh: '已核实', en: 'confirmed' },
  trend: { zh: '趋势', en: 'Trend' },
  point: { zh: '测点', en: 'Point' },
  range: { zh: '时间范围', en: 'Range' },
  noHistory: { zh: '该时段无数据', en: 'No readings in this range' },
  map: { zh: '站点分布', en: 'Site locations' },
  selected: { zh: '选中', en: 'Selected' },
  tapHint: { zh: '点击设备查看实时数值', en: 'Tap an asset for its live values' },
  'kind.tank': { zh: '储罐', en: 'tank' },
  'kind.dike': { zh: '防火堤', en: 'dike' },
  'kind.gas-detector': { zh: '可燃气体探测器', en: 'gas detector' },
  'kind.siren': { zh: '警报器', en: 'siren' },
  'kind.shelter': { zh: '避难所', en: 'shelter' },
  'kind.fire-pump': { zh: '消防泵', en: 'fire pump' },
  'kind.fire-water-pool': { zh: '消防水池', en: 'fire water pool' },
  'kind.foam-station': { zh: '泡沫站', en: 'foam station' },
  'kind.generator': { zh: '发电机', en: 'generator' },
  'kind.weather-station': { zh: '气象站', en: 'weather station' },
  asOf: { zh: '历史状态', en: 'As of' },
  asOfTitle: { zh: '站点历史状态（审核）', en: 'Site as of an instant (audit)' },
  asOfBanner: { zh: '截至', en: 'As of' },
  asOfPick: { zh: '选择时刻', en: 'Pick an instant' },
  show: { zh: '显示', en: 'Show' },
  liveView: { zh: '实时视图', en: 'Live view' },
  auditLink: { zh: '审核：查看历史状态与导出报告', en: 'Audit: the site as of a date, and reports' },
  noScoreThen: { zh: '该时刻尚无评分', en: 'no score recorded by then' },
  reportPdf: { zh: '下载签名的合规报告（PDF）', en: 'Download the signed compliance report (PDF)' },
  reportSig: { zh: '下载签名文件（.sig）', en: 'Download the signature (.sig)' },
  reportBusy: { zh: '正在生成报告…', en: 'Making the report…' },
  reportSigned: { zh: '报告 SHA-256', en: 'Report SHA-256' },
  clauseHistory: { zh: '条款历史', en: 'Clause history' },
  pickClause: { zh: '选择条款与对象', en: 'Pick a clause and subject' },
  failedFor: { zh: '不合格时段', en: 'Failed' },
  stillFailing: { zh: '仍不合格', en: 'still failing' },
  duration: { zh: '持续', en: 'Duration' },
  until: { zh: '至', en: 'Until' },
  neverFailed: { zh: '该时段内未出现不合格', en: 'It never failed' },
  downloadCsv: { zh: '导出 CSV', en: 'Export CSV' },
  compare: { zh: '站点对比', en: 'Compare sites' },
  compareHint: { zh: '选择至少两个站点', en: 'Pick at least two sites' },
  live: { zh: '实时', en: 'live' },
  standards: { zh: '标准条款', en: 'Standards' },
  evidenceRecords: { zh: '演练、试验与检查记录', en: 'Drills, tests and inspections' },
  recordEvidence: { zh: '登记记录', en: 'Record' },
  evidenceKind: { zh: '类型', en: 'Kind' },
  doneAt: { zh: '完成时间', en: 'Done at' },
  by: { zh: '执行人', en: 'By' },
  validUntil: { zh: '有效期至', en: 'Valid until' },
  reference: { zh: '编号/附件', en: 'Reference' },
  notes: { zh: '备注', en: 'Notes' },
  saved: { zh: '已登记', en: 'Recorded' },
  noRecords: { zh: '暂无记录', en: 'No records' },
  'evidenceSource.recorded': { zh: '系统登记', en: 'recorded' },
  'evidenceSource.site-file': { zh: '站点文件', en: 'site file' },
  lifecycle: { zh: '报警状态', en: 'Lifecycle' },
  'condition.active': { zh: '报警条件存在', en: 'condition active' },
  'condition.returned': { zh: '已恢复正常', en: 'returned to normal' },
  acknowledgedYes: { zh: '已确认', en: 'acknowledged' },
  acknowledgedNo: { zh: '未确认', en: 'not acknowledged' },
  shelvedUntil: { zh: '搁置至', en: 'shelved until' },
  suppressed: { zh: '按设计抑制', en: 'suppressed by design' },
  escalations: { zh: '升级次数', en: 'escalations' },
  actions: { zh: '操作', en: 'Actions' },
  acknowledge: { zh: '确认', en: 'Acknowledge' },
  shelve: { zh: '搁置', en: 'Shelve' },
  unshelve: { zh: '取消搁置', en: 'Unshelve' },
  respond: { zh: '救援响应', en: 'Respond' },
  'response.acknowledged': { zh: '已收到', en: 'acknowledged' },
  'response.en-route': { zh: '正在赶赴', en: 'en route' },
  'response.on-scene': { zh: '已到达现场', en: 'on scene' },
  lastResponse: { zh: '救援进展', en: 'rescue' },
  comment: { zh: '处置说明', en: 'Comment' },
  commentRequired: { zh: '请填写处置说明', en: 'A comment is required' },
  shelveReason: { zh: '搁置原因', en: 'Reason' },
  shelveMinutes: { zh: '搁置时长（分钟）', en: 'Duration (minutes)' },
  confirm: { zh: '提交', en: 'Submit' },
  cancel: { zh: '取消', en: 'Cancel' },
} satisfies Record<string, Record<Lang, string>>;

export type StringKey = keyof typeof strings;

export function translate(lang: Lang, key: StringKey): string {
  return strings[key][lang];
}

/** Chinese for browsers whose first language is Chinese, otherwise English. */
export function defaultLang(languages: readonly string[]): Lang {
  return languages[0]?.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export function formatTime(lang: Lang, ts: number): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(ts);
}

export function formatPercent(lang: Lang, share: number): string {
  return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { style: 'percent', maximumFractionDigits: 0 }).format(share);
}

export function formatValue(lang: Lang, value: unknown): string {
  if (typeof value === 'number') return new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: 2 }).format(value);
  if (typeof value === 'boolean') return value ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "2 d 3 h", "45 min", "12 s" */
export function formatDuration(lang: Lang, ms: number): string {
  const s = Math.round(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const zh = lang === 'zh';
  if (d > 0) return zh ? `${d}天${h}小时` : `${d} d ${h} h`;
  if (h > 0) return zh ? `${h}小时${m}分` : `${h} h ${m} min`;
  if (m > 0) return zh ? `${m}分` : `${m} min`;
  return zh ? `${s}秒` : `${s} s`;
}

/** ms since 1970 as the value of an <input type="datetime-local"> (the browser's local time) */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
