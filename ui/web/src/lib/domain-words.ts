/**
 * The domain's words the data carries as codes: engineering units (model/units.ts, their one home),
 * point names of the site files, and the asset attributes and derived values a verdict rests on.
 * A code without an entry is shown as it is; the i18n completeness test lists the codes that must have one.
 */
import type { Unit } from '../../../../model/index.ts';
import type { Lang } from './i18n.ts';

type Words = { zh: string; en: string };

/** how a value in each unit is written after the number ('' for none: booleans and states speak for themselves) */
export const UNIT_WORDS: Record<Unit, Words> = {
  m: { zh: '米', en: 'm' },
  mm: { zh: '毫米', en: 'mm' },
  m3: { zh: '立方米', en: 'm³' },
  t: { zh: '吨', en: 't' },
  '%': { zh: '%', en: '%' },
  '%LEL': { zh: '%爆炸下限', en: '% LEL' },
  ppm: { zh: '百万分之一（ppm）', en: 'ppm' },
  '%VOL': { zh: '%体积分数', en: '% vol' },
  degC: { zh: '℃', en: '°C' },
  kPa: { zh: '千帕', en: 'kPa' },
  MPa: { zh: '兆帕', en: 'MPa' },
  'm/s': { zh: '米/秒', en: 'm/s' },
  deg: { zh: '度', en: '°' },
  'm3/h': { zh: '立方米/时', en: 'm³/h' },
  'L/s': { zh: '升/秒', en: 'L/s' },
  kW: { zh: '千瓦', en: 'kW' },
  V: { zh: '伏', en: 'V' },
  A: { zh: '安', en: 'A' },
  h: { zh: '小时', en: 'h' },
  bool: { zh: '', en: '' },
  state: { zh: '', en: '' },
  km: { zh: '公里', en: 'km' },
  'kV/m': { zh: '千伏/米', en: 'kV/m' },
};

export function unitWord(lang: Lang, unit: Unit | null | undefined): string {
  return unit ? UNIT_WORDS[unit][lang] : '';
}

/** the measured quantity a point's name stands for (`T101.level` → level) */
export const POINT_WORDS: Record<string, Words> = {
  air_temperature: { zh: '气温', en: 'air temperature' },
  concentrate_level: { zh: '泡沫液位', en: 'foam concentrate level' },
  drain_valve_open: { zh: '排水阀开启', en: 'drain valve open' },
  electric_field: { zh: '大气电场', en: 'electric field' },
  esv_in_close_cmd: { zh: '进口紧急切断阀关闭指令', en: 'inlet shut-off valve close command' },
  esv_in_closed: { zh: '进口紧急切断阀已关闭', en: 'inlet shut-off valve closed' },
  flame: { zh: '火焰', en: 'flame' },
  flow: { zh: '流量', en: 'flow' },
  fuel_level: { zh: '燃油液位', en: 'fuel level' },
  gas: { zh: '可燃气体浓度', en: 'gas' },
  hydrocarbon_detected: { zh: '检出油品', en: 'hydrocarbon detected' },
  inlet_valve_open: { zh: '进口阀开启', en: 'inlet valve open' },
  level: { zh: '液位', en: 'level' },
  level_switch_hh: { zh: '高高液位开关', en: 'high-high level switch' },
  mains_available: { zh: '市电可用', en: 'mains available' },
  outlet_valve_open: { zh: '出口阀开启', en: 'outlet valve open' },
  pressure: { zh: '压力', en: 'pressure' },
  ready: { zh: '就绪', en: 'ready' },
  rim_seal_fire: { zh: '密封圈火灾', en: 'rim-seal fire' },
  running: { zh: '运行', en: 'running' },
  shell_temperature: { zh: '罐壁温度', en: 'shell temperature' },
  sounding: { zh: '鸣响', en: 'sounding' },
  strike_distance: { zh: '雷击距离', en: 'strike distance' },
  temperature: { zh: '温度', en: 'temperature' },
  water_level: { zh: '水位', en: 'water level' },
  wind_direction: { zh: '风向', en: 'wind direction' },
  wind_speed: { zh: '风速', en: 'wind speed' },
};

export function pointWord(lang: Lang, name: string): string {
  return POINT_WORDS[name]?.[lang] ?? name.replaceAll('_', ' ');
}

/**
 * Asset attributes (the site file's, model/site-schema.ts) and the values a clause derives, as the
 * thresholds of a verdict name them (`asset.levelHighHigh`, `largestTank`), with the unit of each.
 */
/** `share`: a value 0..1 said as a percentage; `after`: the word after a figure whose unit is no engineering unit (seconds, minutes) */
export const FIELD_WORDS: Record<string, Words & { unit?: Unit; share?: true; after?: Words }> = {
  'asset.alarm': { zh: '报警设定', en: 'alarm set-point' },
  'asset.alarm1': { zh: '一级报警值', en: 'first alarm', unit: '%LEL' },
  'asset.alarm2': { zh: '二级报警值', en: 'second alarm', unit: '%LEL' },
  'asset.capacity': { zh: '公称容量', en: 'capacity', unit: 'm3' },
  'asset.coolingWaterFlow': { zh: '冷却水流量', en: 'cooling water flow', unit: 'L/s' },
  'asset.crossingSteps': { zh: '跨堤踏步数', en: 'crossing steps' },
  'asset.diameter': { zh: '直径', en: 'diameter', unit: 'm' },
  'asset.dike': { zh: '所在防火堤', en: 'dike' },
  'asset.drainValveOutside': { zh: '排水阀设于堤外', en: 'drain valve outside the dike' },
  'asset.effectiveCapacity': { zh: '有效容积', en: 'effective capacity', unit: 'm3' },
  'asset.fireClass': { zh: '火灾危险性类别', en: 'fire class' },
  'asset.fireResistance': { zh: '耐火极限', en: 'fire resistance', unit: 'h' },
  'asset.floorArea': { zh: '堤内面积', en: 'floor area' },
  'asset.foamAutomatic': { zh: '泡沫自动启动', en: 'foam starts automatically' },
  'asset.foamDuration': { zh: '泡沫供给时间', en: 'foam duration', after: { zh: '分钟', en: 'min' } },
  'asset.foamMakers': { zh: '泡沫产生器数量', en: 'foam makers' },
  'asset.foamRate': { zh: '泡沫供给强度', en: 'foam rate', after: { zh: '升/(分钟·平方米)', en: 'L/(min·m²)' } },
  'asset.foamSystem': { zh: '泡沫系统型式', en: 'foam system' },
  'asset.gas': { zh: '检测气体', en: 'gas detected' },
  'asset.heavierThanAir': { zh: '气体重于空气', en: 'gas heavier than air' },
  'asset.height': { zh: '高度', en: 'height', unit: 'm' },
  'asset.heightOutside': { zh: '堤外高度', en: 'height outside', unit: 'm' },
  'asset.id': { zh: '编号', en: 'id' },
  'asset.levelCriticalHigh': { zh: '临界高液位', en: 'critical high level', unit: 'm' },
  'asset.levelHigh': { zh: '高液位', en: 'high level', unit: 'm' },
  'asset.levelHighHigh': { zh: '高高液位', en: 'high-high level', unit: 'm' },
  'asset.levelLow': { zh: '低液位', en: 'low level', unit: 'm' },
  'asset.levelLowLow': { zh: '低低液位', en: 'low-low level', unit: 'm' },
  'asset.maxFillRate': { zh: '最大进油流量', en: 'maximum fill rate', unit: 'm3/h' },
  'asset.maxOperatingTemperature': { zh: '最高操作温度', en: 'maximum operating temperature', unit: 'degC' },
  'asset.minConcentrateLevel': { zh: '泡沫液最低液位', en: 'minimum concentrate level', unit: '%' },
  'asset.minFuelLevel': { zh: '燃油最低液位', en: 'minimum fuel level', unit: '%' },
  'asset.minLevel': { zh: '最低水位', en: 'minimum level', unit: 'm' },
  'asset.mountHeight': { zh: '安装高度', en: 'mounting height', unit: 'm' },
  'asset.overfillCategory': { zh: '防溢流类别', en: 'overfill category' },
  'asset.partitions': { zh: '隔堤数', en: 'partitions' },
  'asset.roof': { zh: '罐顶型式', en: 'roof' },
  'asset.roofLandingHeight': { zh: '浮顶落底高度', en: 'roof landing height', unit: 'm' },
  'asset.rows': { zh: '储罐排数', en: 'rows of tanks' },
  'asset.shutoffValves': { zh: '紧急切断阀', en: 'shut-off valves' },
  'asset.siltDepth': { zh: '淤积深度', en: 'silt depth', unit: 'm' },
  'asset.standbyPressure': { zh: '稳压压力', en: 'standby pressure', unit: 'MPa' },
  'asset.stepSides': { zh: '踏步设置侧数', en: 'sides with steps' },
  'asset.stepSpacing': { zh: '踏步间距', en: 'step spacing', unit: 'm' },
  'asset.t90': { zh: '响应时间 t90', en: 'response time t90', after: { zh: '秒', en: 's' } },
  'asset.turnoversPerYear': { zh: '年周转次数', en: 'turnovers a year' },
  'asset.waterSealDepth': { zh: '水封深度', en: 'water seal depth', unit: 'm' },
  'asset.watches': { zh: '监测对象', en: 'watches' },
  // values a clause derives or computes
  largestTank: { zh: '最大罐容量', en: 'largest tank', unit: 'm3' },
  largeTank: { zh: '大型储罐', en: 'large tank' },
  groupCapacity: { zh: '罐组总容量', en: 'group capacity', unit: 'm3' },
  totalCapacity: { zh: '总容量', en: 'total capacity', unit: 'm3' },
  weightedCapacity: { zh: '折算容量', en: 'weighted capacity', unit: 'm3' },
  poolVolume: { zh: '池容积', en: 'pool volume', unit: 'm3' },
  calculatedHeight: { zh: '计算高度', en: 'calculated height', unit: 'm' },
  closestGap: { zh: '最近间距', en: 'closest gap', unit: 'm' },
  toeDistance: { zh: '至堤脚距离', en: 'distance to the toe', unit: 'm' },
  minutesHHtoCH: { zh: '高高至临界液位分钟数', en: 'minutes from high-high to critical' },
  minutesToCH: { zh: '至临界液位分钟数', en: 'minutes to critical high' },
  hours: { zh: '小时数', en: 'hours', unit: 'h' },
  required: { zh: '要求值', en: 'required' },
  factor: { zh: '系数', en: 'factor' },
  tanks: { zh: '储罐', en: 'tanks' },
  tanksWithout: { zh: '未配置的储罐', en: 'tanks without' },
  boiloverTanks: { zh: '可能沸溢的储罐', en: 'tanks that may boil over' },
  allFloating: { zh: '均为浮顶罐', en: 'all floating-roof' },
  mixedClasses: { zh: '混合火灾类别', en: 'mixed fire classes' },
  independent: { zh: '独立', en: 'independent' },
  shelterPlaces: { zh: '避难位置数', en: 'shelter places' },
  uncovered: { zh: '未覆盖', en: 'uncovered' },
  unmonitored: { zh: '未监测', en: 'unmonitored' },
  unseen: { zh: '未观测到', en: 'unseen' },
  R: { zh: '重大危险源分级指标 R', en: 'hazard rating R' },
  unitR: { zh: '单元分级指标 R', en: 'unit rating R' },
  sumQ: { zh: 'Σq/Q', en: 'Σq/Q' },
  unitSumQ: { zh: '单元 Σq/Q', en: 'unit Σq/Q' },
  alpha: { zh: '暴露人员校正系数 α', en: 'exposure factor α' },
  grade: { zh: '等级', en: 'grade' },
  inventory: { zh: '存量', en: 'inventory', unit: 't' },
  // the figures a measured record carries (the day's data quality, the lightning warnings' review)
  onlineRate: { zh: '在线率', en: 'online rate', share: true },
  observedHours: { zh: '已观测小时数', en: 'hours observed', unit: 'h' },
  points: { zh: '安全点位', en: 'safety points' },
  validShare: { zh: '有效预警占比', en: 'valid warnings', share: true },
  leadMinutes: { zh: '预警提前量', en: 'lead time', after: { zh: '分钟', en: 'min' } },
  meanLeadMinutes: { zh: '平均预警提前量', en: 'mean lead time', after: { zh: '分钟', en: 'min' } },
  warnings: { zh: '预警次数', en: 'warnings' },
  decided: { zh: '已判定预警', en: 'warnings decided' },
  valid: { zh: '有效预警', en: 'valid warnings' },
  warnedRadiusKm: { zh: '预警半径', en: 'warning radius', unit: 'km' },
  clockSkewS: { zh: '设备时钟偏差', en: 'device clock skew', after: { zh: '秒', en: 's' } },
  coolingMinutes: { zh: '着火罐冷却到位用时', en: 'cooling on the burning tank after', after: { zh: '分钟', en: 'min' } },
  neighbourCoolingMinutes: { zh: '邻近罐冷却到位用时', en: 'cooling on the neighbours after', after: { zh: '分钟', en: 'min' } },
  foamMinutes: { zh: '泡沫到位用时', en: 'foam on after', after: { zh: '分钟', en: 'min' } },
  preAlertCycles: { zh: '预先警报鸣响周期', en: 'pre-alert cycles' },
  airRaidCycles: { zh: '空袭警报鸣响周期', en: 'air-raid cycles' },
  allClearMinutes: { zh: '解除警报时长', en: 'all-clear for', after: { zh: '分钟', en: 'min' } },
  // what the twin saw of a siren in its test window (engine/siren-test)
  soundedSeconds: { zh: '鸣响总时长', en: 'sounded for', after: { zh: '秒', en: 's' } },
  blindSeconds: { zh: '状态不可读时长', en: 'status unreadable for', after: { zh: '秒', en: 's' } },
  earthingOhms: { zh: '接地电阻', en: 'earthing resistance', after: { zh: '欧', en: 'Ω' } },
  earthingPoints: { zh: '接地点数', en: 'earthing points' },
  maxOhms: { zh: '最大电阻', en: 'highest resistance', after: { zh: '欧', en: 'Ω' } },
  bottomMarginMm: { zh: '罐底板余量', en: 'bottom plate margin', unit: 'mm' },
  permitsWithoutGasTest: { zh: '未做气体检测的动火许可', en: 'permits without a gas test' },
  longestGasTestLeadMinutes: { zh: '气体检测最长提前', en: 'longest gas-test lead', after: { zh: '分钟', en: 'min' } },
  strokeSeconds: { zh: '全行程时间', en: 'full-stroke time', after: { zh: '秒', en: 's' } },
  failedFunctions: { zh: '失效功能数', en: 'failed functions' },
  roofDrainsChecked: { zh: '浮顶排水已检查', en: 'roof drains checked' },
  mooringChecked: { zh: '系泊已检查', en: 'mooring checked' },
  // the site's own figures a clause reads (site.*, model/site-schema.ts)
  'site.cameras': { zh: '视频监控', en: 'cameras' },
  'site.civilDefence.backupPowerHours': { zh: '备用电源时长', en: 'backup power', unit: 'h' },
  'site.civilDefence.backupPowerHoursRequired': { zh: '要求备用电源时长', en: 'backup power required', unit: 'h' },
  'site.civilDefence.repairTeamSize': { zh: '抢修队人数', en: 'repair team size' },
  'site.depot.aerialTrucks': { zh: '举高消防车数', en: 'aerial fire trucks' },
  'site.depot.coastal': { zh: '位于沿海', en: 'coastal' },
  'site.depot.elevationAboveFlood': { zh: '场地高出设计洪水位', en: 'elevation above the design flood', unit: 'm' },
  'site.depot.emergencyShutdown': { zh: '紧急停车系统', en: 'emergency shutdown' },
  'site.depot.fireTruckMinutes': { zh: '消防车到场时间', en: 'fire truck arrival', after: { zh: '分钟', en: 'min' } },
  'site.depot.floodReturnPeriod': { zh: '防洪标准重现期', en: 'flood return period', after: { zh: '年', en: 'years' } },
  'site.depot.foamTrucks': { zh: '泡沫消防车数', en: 'foam trucks' },
  'site.depot.gasDetectionSeparate': { zh: '可燃气体报警系统独立设置', en: 'gas detection separate' },
  'site.depot.grade': { zh: '油库等级', en: 'depot grade' },
  'site.depot.groundClass': { zh: '场地类别', en: 'ground class' },
  'site.depot.nationalReserve': { zh: '国家储备库', en: 'national reserve' },
  'site.depot.perimeterWall.height': { zh: '围墙高度', en: 'perimeter wall height', unit: 'm' },
  'site.depot.perimeterWall.nonCombustible': { zh: '围墙为不燃材料', en: 'perimeter wall non-combustible' },
  'site.depot.perimeterWall.solidBaseHeight': { zh: '围墙实体下部高度', en: 'perimeter wall solid base', unit: 'm' },
  'site.depot.personsOnSite': { zh: '在场人数', en: 'persons on site' },
  'site.depot.seismicIntensity': { zh: '抗震设防烈度', en: 'seismic intensity' },
  'site.lightningDetectors': { zh: '雷电监测设备', en: 'lightning detectors' },
  'site.majorHazard.grade': { zh: '重大危险源等级', en: 'major hazard grade' },
  'site.majorHazard.registered': { zh: '重大危险源已备案', en: 'major hazard registered' },
  'site.monitoring.remoteTransmission': { zh: '数据远程传输', en: 'remote transmission' },
  'site.monitoring.retentionDays': { zh: '数据保存', en: 'data kept', after: { zh: '天', en: 'days' } },
  'site.surroundings.populationWithin': { zh: '周边人口', en: 'population around' },
};

/** the clause categories of the standard (its `category`) */
export const CATEGORY_WORDS: Record<string, Words> = {
  'civil-air-defence': { zh: '人民防空', en: 'civil air defence' },
  'depot-and-site': { zh: '库址与总图', en: 'depot and site' },
  dikes: { zh: '防火堤', en: 'dikes' },
  'drills-and-inspections': { zh: '演练与检查', en: 'drills and inspections' },
  'fire-protection': { zh: '消防', en: 'fire protection' },
  'gas-detection': { zh: '可燃气体检测', en: 'gas detection' },
  'level-and-overfill': { zh: '液位与防溢', en: 'level and overfill' },
  'lightning-and-static': { zh: '防雷防静电', en: 'lightning and static' },
  'major-hazard': { zh: '重大危险源', en: 'major hazard' },
  monitoring: { zh: '监测监控', en: 'monitoring' },
  'natural-hazards': { zh: '自然灾害', en: 'natural hazards' },
  'tank-groups': { zh: '罐组', en: 'tank groups' },
  'tank-integrity': { zh: '储罐完整性', en: 'tank integrity' },
};

export function categoryWord(lang: Lang, category: string): string {
  return CATEGORY_WORDS[category]?.[lang] ?? category.replaceAll('-', ' ');
}

/** the kinds of alert: the standard's (its clauses' `alert.kind`), a hazard's (`hazard-<hazard>`), a silent source */
export const ALERT_KIND_WORDS: Record<string, Words> = {
  'dike-capacity': { zh: '防火堤容量不足', en: 'dike capacity' },
  'dike-drain-open': { zh: '防火堤排水阀开启', en: 'dike drain open' },
  'fire-water-low': { zh: '消防水量不足', en: 'fire water low' },
  'gas-leak': { zh: '可燃气体泄漏', en: 'gas leak' },
  'high-level': { zh: '高液位', en: 'high level' },
  'major-hazard-grade': { zh: '重大危险源等级', en: 'major hazard grade' },
  overfill: { zh: '冒罐风险', en: 'overfill' },
  'siren-fault': { zh: '警报器故障', en: 'siren fault' },
  'comms-loss': { zh: '通信中断', en: 'communications lost' },
  'hazard-overfill': { zh: '储罐冒顶', en: 'tank overfill' },
  'hazard-gas-cloud': { zh: '可燃气体云团', en: 'flammable gas cloud' },
  'hazard-vce': { zh: '蒸气云爆炸', en: 'vapour cloud explosion' },
  'hazard-tank-fire': { zh: '储罐火灾', en: 'tank fire' },
  'hazard-dike-fire': { zh: '防火堤池火', en: 'dike fire' },
  'hazard-lightning': { zh: '雷电预警', en: 'lightning warning' },
  'hazard-stuck-gauge': { zh: '液位计失真', en: 'gauge not telling the truth' },
  'hazard-flood': { zh: '人防工程进水', en: 'water in an underground work' },
  'hazard-domino': { zh: '多米诺效应', en: 'domino escalation' },
  'hazard-boilover': { zh: '沸溢', en: 'boilover' },
  'hazard-spill-to-sea': { zh: '溢油入海', en: 'spill to sea' },
  'hazard-protection-lost': { zh: '防护能力丧失', en: 'protection lost' },
  'hazard-suspected-attack': { zh: '疑似袭击', en: 'suspected attack' },
  'hazard-shutoff-valve': { zh: '紧急切断阀故障', en: 'shut-off valve fault' },
};

export function alertKindWord(lang: Lang, kind: string): string {
  return ALERT_KIND_WORDS[kind]?.[lang] ?? kind.replaceAll('-', ' ');
}

/** the values of the site file's enumerated attributes (model/site-schema.ts), by attribute */
export const ATTRIBUTE_VALUE_WORDS: Record<string, Record<string, Words>> = {
  roof: {
    'external-floating': { zh: '外浮顶', en: 'external floating roof' },
    'internal-floating': { zh: '内浮顶', en: 'internal floating roof' },
    fixed: { zh: '固定顶', en: 'fixed roof' },
  },
  product: {
    crude: { zh: '原油', en: 'crude oil' },
    gasoline: { zh: '汽油', en: 'gasoline' },
    diesel: { zh: '柴油', en: 'diesel' },
  },
  foamSystem: {
    fixed: { zh: '固定式', en: 'fixed' },
    'semi-fixed': { zh: '半固定式', en: 'semi-fixed' },
    mobile: { zh: '移动式', en: 'mobile' },
    none: { zh: '无', en: 'none' },
  },
  gas: {
    combustible: { zh: '可燃气体', en: 'combustible gas' },
    toxic: { zh: '有毒气体', en: 'toxic gas' },
    oxygen: { zh: '氧气', en: 'oxygen' },
  },
  // GB 50074's fire classes: 甲 乙 丙 are the standard's own A B C
  fireClass: {
    甲A: { zh: '甲A', en: 'class A-A' },
    甲B: { zh: '甲B', en: 'class A-B' },
    乙A: { zh: '乙A', en: 'class B-A' },
    乙B: { zh: '乙B', en: 'class B-B' },
    丙A: { zh: '丙A', en: 'class C-A' },
    丙B: { zh: '丙B', en: 'class C-B' },
  },
};

/** an attribute's value in words where the attribute is enumerated ("external-floating" → 外浮顶), else null */
export function attributeValueWord(lang: Lang, attribute: string, value: unknown): string | null {
  return typeof value === 'string' ? (ATTRIBUTE_VALUE_WORDS[attribute]?.[value]?.[lang] ?? null) : null;
}

/** the word after a field's figure: its engineering unit's, or its own (seconds, minutes); '' for none */
export function fieldUnitWord(lang: Lang, name: string): string {
  const field = FIELD_WORDS[name];
  return field?.after?.[lang] ?? unitWord(lang, field?.unit);
}

/** a threshold's name in words: the catalogue's, or the name itself made readable */
export function fieldWord(lang: Lang, name: string): string {
  return FIELD_WORDS[name]?.[lang] ?? name.replace(/^(asset|params|site)\./, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

/** the kinds of drill, test and inspection record the standard asks for (its `evidence.kind`) */
export const RECORD_WORDS: Record<string, Words> = {
  'data-quality-day': { zh: '数据质量日统计', en: 'data quality of the day' },
  'earthing-test': { zh: '接地电阻测试', en: 'earthing test' },
  'esd-proof-test': { zh: '紧急停车系统验证测试', en: 'ESD proof test' },
  'esv-stroke': { zh: '紧急切断阀行程测试', en: 'shut-off valve stroke test' },
  'evacuation-drill': { zh: '疏散演练', en: 'evacuation drill' },
  'fire-response-drill': { zh: '灭火救援演练', en: 'fire response drill' },
  'hot-work-audit': { zh: '动火作业检查', en: 'hot-work audit' },
  'lightning-inspection': { zh: '防雷装置检测', en: 'lightning protection inspection' },
  'lightning-warning-review': { zh: '雷电预警效果复核', en: 'lightning warning review' },
  'major-hazard-assessment': { zh: '重大危险源评估', en: 'major hazard assessment' },
  'onsite-plan-drill': { zh: '现场处置方案演练', en: 'on-site plan drill' },
  'protection-plan-review': { zh: '防护方案评审', en: 'protection plan review' },
  'repair-team-drill': { zh: '抢修队演练', en: 'repair team drill' },
  'roof-drain-check': { zh: '浮顶排水检查', en: 'roof drain check' },
  'siren-test': { zh: '警报器试鸣', en: 'siren test' },
  'special-plan-drill': { zh: '专项预案演练', en: 'special plan drill' },
  'static-earthing-test': { zh: '静电接地测试', en: 'static earthing test' },
  'tank-external-inspection': { zh: '储罐外部检查', en: 'tank external inspection' },
  'tank-internal-inspection': { zh: '储罐内部检查', en: 'tank internal inspection' },
  'typhoon-readiness': { zh: '防台风准备检查', en: 'typhoon readiness check' },
  'unit-hazard-check': { zh: '包保单元隐患排查', en: 'major hazard unit check' },
  inspection: { zh: '检查', en: 'inspection' },
};

export function recordWord(lang: Lang, kind: string): string {
  return RECORD_WORDS[kind]?.[lang] ?? kind.replaceAll('-', ' ');
}
