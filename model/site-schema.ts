import { z } from 'zod';
import { UNITS } from './units.ts';
import { siteSections } from './site-sections.ts';
import { escalationSchema } from './escalation.ts';
import { planSchema } from './site-plan.ts';
import { mqttMappingSchema, mqttSourceSchema } from './site-mqtt.ts';
import { capMappingSchema, capSourceSchema } from './site-cap.ts';

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and hold only letters, digits, "-" and "_"');
const bilingual = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const position = z.strictObject({ x: z.number(), y: z.number() });
const positive = z.number().positive();
const nonNegative = z.number().min(0);

export const OPCUA_SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export const OPCUA_SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes256_Sha256_RsaPss'] as const;
export const MODBUS_TRANSPORTS = ['tcp', 'rtu-over-tcp', 'rtu'] as const;
export const MODBUS_WORD_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, e.g. KETWIN_PLC_PASSWORD');

const opcuaSource = z
  .strictObject({
    id,
    protocol: z.literal('opcua'),
    endpoint: z.string().regex(/^opc\.tcp:\/\/[^/\s:]+:\d+(\/\S*)?$/, 'must be an OPC-UA endpoint such as opc.tcp://host:4840/path'),
    securityMode: z.enum(OPCUA_SECURITY_MODES).default('None'),
    /** required (and not None) with Sign / SignAndEncrypt */
    securityPolicy: z.enum(OPCUA_SECURITY_POLICIES).optional(),
    /** PKI folder (own certificate, trusted/ and rejected/ server certificates); default <data dir>/pki/<source id> */
    pki: z.string().min(1).optional(),
    /** trust the first server certificate seen when nothing is trusted yet; explicit trust otherwise */
    trustOnFirstUse: z.boolean().default(false),
    /** user name; the password is read from the environment variable named by passwordEnv, never from the file */
    username: z.string().min(1).optional(),
    passwordEnv: envName.optional(),
    publishingIntervalMs: positive.default(500),
    /**
     * how often the server samples each point, ms; default the publishing interval. 0 asks for the
     * server's fastest practical rate, which servers that report on change (node-opcua, many PLC
     * gateways) turn into "on every change": a change waits only for the next publish
     */
    samplingIntervalMs: z.number().int().min(0).optional(),
    /** monitored items per subscription; more points open more subscriptions */
    maxItemsPerSubscription: z.number().int().positive().default(1000),
    staleAfterMs: positive.default(10_000),
  })
  .superRefine((source, ctx) => {
    const policy = source.securityPolicy ?? 'None';
    if (source.securityMode === 'None' && policy !== 'None') {
      ctx.addIssue({ code: 'custom', path: ['securityPolicy'], message: `securityPolicy ${policy} needs securityMode Sign or SignAndEncrypt` });
    }
    if (source.securityMode !== 'None' && policy === 'None') {
      ctx.addIssue({ code: 'custom', path: ['securityPolicy'], message: `securityMode ${source.securityMode} needs securityPolicy Basic256Sha256 or Aes256_Sha256_RsaPss` });
    }
    if ((source.username === undefined) !== (source.passwordEnv === undefined)) {
      ctx.addIssue({ code: 'custom', path: [source.username === undefined ? 'username' : 'passwordEnv'], message: 'username and passwordEnv go together' });
    }
  });

const serialLine = z.strictObject({
  baudRate: z.number().int().positive().default(9600),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
});

const modbusSource = z
  .strictObject({
    id,
    protocol: z.literal('modbus'),
    /** tcp: Modbus TCP (MBAP); rtu-over-tcp: RTU frames (with CRC) through a TCP gateway; rtu: RTU over a serial line */
    transport: z.enum(MODBUS_TRANSPORTS).default('tcp'),
    endpoint: z.string().regex(/^(tcp:\/\/[^/\s:]+:\d+|serial:\/\/\/\S+)$/, 'must be tcp://host:502 (tcp, rtu-over-tcp) or serial:///dev/ttyUSB0 (rtu)'),
    /** serial line settings, for transport rtu */
    serial: serialLine.optional(),
    unitId: z.number().int().min(0).max(255).default(1),
    pollIntervalMs: positive.default(1000),
    timeoutMs: positive.default(2000),
    staleAfterMs: positive.default(10_000),
  })
  .superRefine((source, ctx) => {
    const serial = source.endpoint.startsWith('serial://');
    if (serial !== (source.transport === 'rtu')) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoint'],
        message: source.transport === 'rtu' ? 'transport rtu needs a serial:///dev/… endpoint' : `transport ${source.transport} needs a tcp://host:port endpoint`,
      });
    }
    if (source.serial && source.transport !== 'rtu') ctx.addIssue({ code: 'custom', path: ['serial'], message: 'serial settings only apply to transport rtu' });
  });

export const sourceSchema = z.discriminatedUnion('protocol', [opcuaSource, modbusSource, mqttSourceSchema, capSourceSchema]);

const registerSchema = z.strictObject({
  table: z.enum(['holding', 'input', 'coil', 'discrete']),
  address: z.number().int().min(0).max(65535),
  type: z.enum(['bool', 'int16', 'uint16', 'int32', 'uint32', 'float32', 'float64']).default('uint16'),
  /** byte order of the value's bytes as they sit in the registers: ABCD big-endian, CDAB word-swapped, BADC byte-swapped, DCBA little-endian */
  order: z.enum(MODBUS_WORD_ORDERS).default('ABCD'),
  scale: z.number().default(1),
  offset: z.number().default(0),
});

export const pointSchema = z.strictObject({
  asset: id,
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case'),
  unit: z.enum(UNITS, { error: (issue) => `unknown unit ${JSON.stringify(issue.input)}; expected one of ${UNITS.join(', ')}` }),
  source: id,
  /** OPC-UA NodeId, for points read from an opcua source */
  node: z.string().min(1).optional(),
  /** Modbus register, for points read from a modbus source */
  register: registerSchema.optional(),
  /** where an MQTT source finds the reading: a JSON field of a topic, or a Sparkplug B metric */
  mqtt: mqttMappingSchema.optional(),
  /** which warnings of a CAP feed source the point follows, and what of them it reports */
  cap: capMappingSchema.optional(),
  /** absolute deadband for OPC-UA monitored items: changes smaller than this are not reported */
  deadband: z.number().nonnegative().optional(),
  /** overrides the source's staleAfterMs */
  staleAfterMs: positive.optional(),
});

const assetBase = {
  id,
  name: bilingual,
  position,
};

export const TANK_ROOFS = ['external-floating', 'internal-floating', 'fixed'] as const;
export const PRODUCTS = ['crude', 'gasoline', 'diesel'] as const;

const tank = z.strictObject({
  ...assetBase,
  kind: z.literal('tank'),
  attributes: z.strictObject({
    roof: z.enum(TANK_ROOFS),
    product: z.enum(PRODUCTS),
    /** fire-hazard class of the product per GB 50074 §3.0.3, e.g. 甲B */
    fireClass: z.enum(['甲A', '甲B', '乙A', '乙B', '丙A', '丙B']),
    diameter: positive,
    height: positive,
    /** nominal capacity, m³ */
    capacity: positive,
    /** level set-points, m */
    levelHigh: positive,
    levelHighHigh: positive,
    levelCriticalHigh: positive,
    dike: id,
    // What the guideline's design clauses read (all optional so a bare tank still loads;
    // a clause that needs a missing one is unknown on that tank, never a pass).
    /** level set-points below the working range, m */
    levelLow: positive.optional(),
    levelLowLow: positive.optional(),
    /** floating roof landing height (roof on its legs), m */
    roofLandingHeight: positive.optional(),
    /** turnovers per year (GB 50074 §15.1.2) */
    turnoversPerYear: nonNegative.optional(),
    /** largest filling rate, m³/h (API 2350 response time) */
    maxFillRate: positive.optional(),
    /** API 2350 overfill category 1..3 */
    overfillCategory: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(),
    /** highest storage temperature the tank is designed for, °C */
    maxOperatingTemperature: z.number().optional(),
    foamSystem: z.enum(['fixed', 'semi-fixed', 'mobile', 'none']).optional(),
    /** foam application rate, L/(min·m²), and supply duration, min */
    foamRate: positive.optional(),
    foamDuration: positive.optional(),
    /** foam makers on the rim-seal ring of a floating roof */
    foamMakers: positive.optional(),
    /** automatic foam start with human confirmation */
    foamAutomatic: z.boolean().optional(),
    /** foam dam: height above the rim seal and distance from the shell, m */
    foamDamHeight: positive.optional(),
    foamDamDistance: positive.optional(),
    /** design cooling water flow for this tank on fire, L/s */
    coolingWaterFlow: positive.optional(),
    /**
     * emergency shut-off valves on the tank's lines (MEM 2022, 油气储存企业紧急切断系统基本要求): each one's
     * closed limit switch is the tank's point `<id>_closed`, its close command (where wired) `<id>_close_cmd`
     */
    shutoffValves: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z][a-z0-9_]*$/, "must be lower_snake_case: it names the valve's points"),
          line: z.enum(['inlet', 'outlet', 'process']),
          failClosed: z.boolean(),
        }),
      )
      .optional(),
  }),
});

const dike = z.strictObject({
  ...assetBase,
  kind: z.literal('dike'),
  attributes: z.strictObject({
    /** effective capacity as designed (net of tank foundations and the volume below the other tanks' shells), m³ */
    effectiveCapacity: positive,
    /** floor area inside the dike, m², to turn standing water into lost capacity */
    floorArea: positive,
    height: positive,
    /** polygon of the dike's footprint on the site plan, m */
    outline: z.array(position).min(3),
    /** height above the outside grade, m (GB 50074 §6.5.3) */
    heightOutside: positive.optional(),
    /** fire resistance of the dike, h */
    fireResistance: positive.optional(),
    /** crossing steps, how many sides they are on, their largest spacing and rail height (GB 50351) */
    crossingSteps: nonNegative.optional(),
    stepSides: nonNegative.optional(),
    stepSpacing: positive.optional(),
    railHeight: positive.optional(),
    /** rows of tanks in the group, and partition dikes inside it */
    rows: positive.optional(),
    partitions: positive.optional(),
    /** the rainwater cut-off valve is outside the dike; water-seal and silt depth of its drain, m */
    drainValveOutside: z.boolean().optional(),
    waterSealDepth: positive.optional(),
    siltDepth: positive.optional(),
    /** where the dike's rainwater drain discharges (the sea outfall on a coastal depot), plan m */
    drainOutfall: position.optional(),
  }),
});

const gasDetector = z.strictObject({
  ...assetBase,
  kind: z.literal('gas-detector'),
  attributes: z.strictObject({
    gas: z.enum(['combustible', 'toxic', 'oxygen']),
    /** the release source or asset it watches */
    watches: id.optional(),
    /** configured first and second alarm set-points, in the detector's unit */
    alarm1: nonNegative.optional(),
    alarm2: nonNegative.optional(),
    indoor: z.boolean().optional(),
    /** mounting height above grade, m, and whether the gas is heavier than air (ratio ≥ 1.2) */
    mountHeight: nonNegative.optional(),
    heavierThanAir: z.boolean().optional(),
    /** response time T90, s */
    t90: positive.optional(),
  }),
});

export const CONGESTION_TYPES = ['pipe-rack', 'pump-house', 'manifold', 'process-unit'] as const;
export const OBSTACLE_DENSITIES = ['high', 'low', 'none'] as const;

/** Shoelace area of a plan polygon, m² */
const planArea = (ring: { x: number; y: number }[]) =>
  Math.abs(
    ring.reduce((sum, p, i) => {
      const q = ring[(i + 1) % ring.length]!;
      return sum + p.x * q.y - q.x * p.y;
    }, 0),
  ) / 2;

/**
 * A congested volume — a pipe rack, a pump house, a manifold, a process unit — where a flammable cloud
 * that drifts in can explode (TNO multi-energy method): its outline on the plan and height give the
 * volume, its obstacle density and confinement the charge strength (the standard's table, or the site's
 * own from a study).
 */
const congestedArea = z.strictObject({
  ...assetBase,
  kind: z.literal('congested-area'),
  attributes: z
    .strictObject({
      type: z.enum(CONGESTION_TYPES),
      /** footprint on the site plan, m (a polygon) */
      outline: z.array(position).min(3),
      /** height of the congested layer above grade, m */
      height: positive,
      /** obstacle density in the multi-energy method's words (Kinsella 1993): high (pipework, pumps and vessels close together), low, none */
      obstacleDensity: z.enum(OBSTACLE_DENSITIES),
      /** parallel-plane confinement: a roof, deck or walls over or around the congested volume */
      confined: z.boolean(),
      /** volume blockage ratio as surveyed: the share of the volume taken by obstacles (0–1) */
      blockageRatio: z.number().min(0).max(1).optional(),
      /** the congested volume, m³, where it is less than the outline area × height */
      volume: positive.optional(),
      /** the multi-energy charge strength 1–10 from a site study, in place of the standard's table */
      chargeStrength: z.number().int().min(1).max(10).optional(),
      ignitionSource: z.boolean().optional(),
    })
    .superRefine((a, ctx) => {
      const area = planArea(a.outline);
      if (area <= 0) ctx.addIssue({ code: 'custom', path: ['outline'], message: 'the outline encloses no area' });
      else if (a.volume !== undefined && a.volume > area * a.height * 1.01)
        ctx.addIssue({
          code: 'custom',
          path: ['volume'],
          message: `volume ${a.volume} m³ exceeds the outline's ${Math.round(area)} m² × height ${a.height} m = ${Math.round(area * a.height)} m³`,
        });
    }),
});

const otherKinds = [
  'fire-water-pool',
  'fire-pump',
  'foam-station',
  'generator',
  'siren',
  'shelter',
  'weather-station',
  // an atmospheric electric field mill and the site's feed from a lightning location network
  'lightning-detector',
] as const;

const otherAsset = z.strictObject({
  ...assetBase,
  kind: z.enum(otherKinds),
  attributes: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});

export const ASSET_KINDS = ['tank', 'dike', 'gas-detector', 'congested-area', ...otherKinds] as const;

export const assetSchema = z.discriminatedUnion('kind', [tank, dike, gasDetector, congestedArea, otherAsset], {
  error: (issue) =>
    issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
      ? `unknown asset kind ${JSON.stringify((issue.input as { kind?: unknown })?.kind)}; expected one of ${ASSET_KINDS.join(', ')}`
      : undefined,
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const siteSchema = z.strictObject({
  id,
  name: bilingual,
  /** WGS84 reference of the plan's origin */
  location: z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  /** the site's IANA time zone: what the twin's words ("data lost at 14:02:05") are written in; China's by default */
  timeZone: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
  /** site plan extent in metres (x east, y north), with its roads and gates */
  plan: planSchema,
  /** standard ids this site is scored against */
  standards: z.array(z.string().min(1)).min(1),
  sources: z.array(sourceSchema).min(1),
  assets: z.array(assetSchema).min(1),
  points: z.array(pointSchema),
  ...siteSections,
  /** who is told of an incident at once and who next when nobody acknowledges (notify/) */
  escalation: escalationSchema.optional(),
});
