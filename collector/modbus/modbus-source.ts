import { pino, type Logger } from 'pino';
import type { ModbusSource, Point, Sample, SampleValue } from '../../model/index.ts';
import { createSourceFigures, sourceStats, type SourceFigures } from '../source-figures.ts';
import { CollectorError, onlinePointId, type SampleSink, type Source, type SourceStats } from '../source.ts';
import { decodeRegister } from './decode.ts';
import { describeFailure } from './failure-reason.ts';
import { ModbusClient } from './modbus-client.ts';
import { planRequests, registerWidth, type ReadRequest } from './plan-requests.ts';

export interface ModbusSourceOptions {
  /** site id stamped on every sample */
  site: string;
  source: ModbusSource;
  /** the points read from this source (each with a `register`) */
  points: Point[];
  logger?: Logger;
  /** reconnection back-off, ms (defaults 500 → 10 000) */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  now?: () => number;
}

/**
 * A Modbus device (TCP, RTU over TCP, RTU over a serial line) polled every pollIntervalMs,
 * contiguous registers read together. Read-only: it only ever sends function codes 1–4.
 */
export function createModbusSource(options: ModbusSourceOptions): Source {
  const { site, source } = options;
  const where = `Modbus source ${source.id} (${source.endpoint})`;
  const target = validate(options, where);
  const plan = planRequests(options.points);
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ site, source: source.id, endpoint: source.endpoint });
  const figures = createSourceFigures(options.now);
  let running: { stop(): Promise<void> } | undefined;

  return {
    id: source.id,
    async start(sink) {
      if (running) throw new CollectorError('COLLECTOR_STATE', `${where}: already started`);
      running = poll({ ...options, logger, where, target, plan, figures }, sink);
    },
    async stop() {
      const current = running;
      running = undefined;
      await current?.stop();
    },
    stats: (): SourceStats => sourceStats(source.id, 'modbus', figures),
  };
}

/** Where the device is: a TCP host and port, or a serial line. */
type Target = { kind: 'tcp' | 'rtu-over-tcp'; host: string; port: number } | { kind: 'rtu'; path: string };

function validate({ source, points }: ModbusSourceOptions, where: string): Target {
  if (source.protocol !== 'modbus') throw new CollectorError('COLLECTOR_CONFIG', `${where}: protocol is ${String(source.protocol)}, not modbus`);
  const transport = source.transport ?? 'tcp';
  let target: Target;
  if (transport === 'rtu') {
    const serial = /^serial:\/\/(\/\S+)$/.exec(source.endpoint);
    if (!serial) throw new CollectorError('COLLECTOR_CONFIG', `${where}: transport rtu needs an endpoint like serial:///dev/ttyUSB0`);
    target = { kind: 'rtu', path: serial[1]! };
  } else {
    const match = /^tcp:\/\/([^/\s:]+):(\d+)$/.exec(source.endpoint);
    const port = Number(match?.[2]);
    if (!match || !(port > 0 && port < 65536)) throw new CollectorError('COLLECTOR_CONFIG', `${where}: endpoint must look like tcp://host:502`);
    target = { kind: transport, host: match[1]!, port };
  }
  if (source.serial && transport !== 'rtu') throw new CollectorError('COLLECTOR_CONFIG', `${where}: serial settings only apply to transport rtu`);
  if (source.serial) validateSerialLine(source.serial, where);
  if (transport !== 'tcp' && source.unitId === 0) throw new CollectorError('COLLECTOR_CONFIG', `${where}: unit id 0 is the RTU broadcast address, which never answers a read`);
  for (const point of points) {
    if (point.source !== source.id) throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} belongs to source ${point.source}`);
    if (!point.register) throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} has no register`);
    if (point.register.address + registerWidth(point.register) > 65536) {
      throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} runs past register 65535`);
    }
    if ((point.register.table === 'coil' || point.register.table === 'discrete') && point.register.type !== 'bool') {
      throw new CollectorError('COLLECTOR_CONFIG', `${where}: point ${point.id} is in the ${point.register.table} table, whose type can only be bool`);
    }
  }
  return target;
}

const PARITIES = ['none', 'even', 'odd'];

/** Checked here too: a source built in code (not from a site file) skips the schema. */
function validateSerialLine(line: NonNullable<ModbusSource['serial']>, where: string): void {
  const fail = (message: string) => {
    throw new CollectorError('COLLECTOR_CONFIG', `${where}: serial ${message}`);
  };
  if (!Number.isInteger(line.baudRate) || line.baudRate < 50 || line.baudRate > 4_000_000) fail(`baudRate ${String(line.baudRate)} must be a whole number of bits per second, 50 to 4000000 (e.g. 9600, 19200)`);
  if (!PARITIES.includes(line.parity)) fail(`parity ${JSON.stringify(line.parity)} must be one of none, even, odd`);
  // Modbus RTU carries 8-bit bytes (7 data bits is Modbus ASCII, which this driver does not speak)
  if (line.dataBits !== 8) fail(`dataBits ${String(line.dataBits)} must be 8: Modbus RTU frames are 8-bit bytes (7 is Modbus ASCII)`);
  if (line.stopBits !== 1 && line.stopBits !== 2) fail(`stopBits ${String(line.stopBits)} must be 1 or 2`);
}

interface PollOptions extends ModbusSourceOptions {
  logger: Logger;
  where: string;
  target: Target;
  plan: ReadRequest[];
  figures: SourceFigures;
}

function open(client: ModbusClient, target: Target, source: ModbusSourceOptions['source']): Promise<void> {
  switch (target.kind) {
    case 'tcp':
      return client.connectTCP(target.host, { port: target.port });
    case 'rtu-over-tcp':
      // raw RTU frames (unit id, PDU, CRC) on a TCP socket, as a transparent serial gateway passes them;
      // modbus-serial calls this port "telnet" (its connectTcpRTUBuffered wraps frames in MBAP instead)
      return client.connectTelnet(target.host, { port: target.port });
    case 'rtu': {
      const line = source.serial ?? { baudRate: 9600, parity: 'none', dataBits: 8, stopBits: 1 };
      return client.connectRTUBuffered(target.path, { baudRate: line.baudRate, parity: line.parity, dataBits: line.dataBits, stopBits: line.stopBits });
    }
  }
}

function read(client: ModbusClient, request: ReadRequest): Promise<{ data: number[] | boolean[] }> {
  switch (request.table) {
    case 'holding':
      return client.readHoldingRegisters(request.address, request.length);
    case 'input':
      return client.readInputRegisters(request.address, request.length);
    case 'coil':
      return client.readCoils(request.address, request.length);
    case 'discrete':
      return client.readDiscreteInputs(request.address, request.length);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('connect timed out'), { errno: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function poll(options: PollOptions, sink: SampleSink): { stop(): Promise<void> } {
  const { site, source, points, plan, logger, where, figures } = options;
  const now = options.now ?? Date.now;
  const initialDelay = options.reconnect?.initialDelayMs ?? 500;
  const maxDelay = options.reconnect?.maxDelayMs ?? 10_000;
  const lastValues = new Map<string, SampleValue>();
  const emit = (sample: Sample) => {
    lastValues.set(sample.point, sample.value);
    figures.meter.add();
    sink(sample);
  };
  let onlineReported: boolean | undefined;
  const setOnline = (online: boolean, reason?: string) => {
    figures.online = online;
    if (onlineReported === online) return;
    if (online && onlineReported === false) figures.reconnects++;
    onlineReported = online;
    sink({ site, point: onlinePointId(source.id), value: online, quality: 'good', ts: now(), ...(reason ? { reason } : {}) });
  };
  const markBad = (targets: Point[], reason: string) => {
    const ts = now();
    for (const point of targets) {
      emit({ site, point: point.id, value: lastValues.get(point.id) ?? (point.unit === 'bool' ? false : Number.NaN), quality: 'bad', reason, ts });
    }
  };

  let client: ModbusClient | undefined;
  let failedConnects = 0;
  let downReported = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let cycleDone: Promise<void> = Promise.resolve();

  const closeClient = () => {
    client?.close(() => {});
    client = undefined;
  };
  const reportDown = (reason: string) => {
    if (downReported) return;
    downReported = true;
    logger.warn({ reason }, `${where}: device unreachable`);
    setOnline(false, reason);
    markBad(points, reason);
  };

  async function connect(): Promise<boolean> {
    const candidate = new ModbusClient();
    try {
      await withTimeout(open(candidate, options.target, source), source.timeoutMs);
      candidate.setID(source.unitId);
      candidate.setTimeout(source.timeoutMs);
      client = candidate;
      failedConnects = 0;
      downReported = false;
      setOnline(true);
      logger.info(`${where}: connected`);
      return true;
    } catch (error) {
      candidate.close(() => {});
      failedConnects++;
      reportDown(describeFailure(error).reason);
      return false;
    }
  }

  async function cycle(): Promise<number> {
    if (!client?.isOpen) {
      closeClient();
      if (!(await connect())) return Math.min(maxDelay, initialDelay * 2 ** (failedConnects - 1));
    }
    const startedAt = performance.now();
    let answered = false;
    let timeouts = 0;
    for (const request of plan) {
      if (stopping || !client) break;
      try {
        const sentAt = performance.now();
        const { data } = await read(client, request);
        answered = true;
        figures.lastLatencyMs = performance.now() - sentAt;
        const ts = now();
        const words = request.table === 'holding' || request.table === 'input' ? (data as number[]) : [];
        const bits = request.table === 'coil' || request.table === 'discrete' ? (data as boolean[]) : [];
        for (const { point, offset } of request.points) {
          emit({ site, point: point.id, value: decodeRegister(point.register!, words, bits, offset), quality: 'good', ts });
        }
      } catch (error) {
        if (stopping) break;
        const { kind, reason } = describeFailure(error);
        if (kind === 'connection') {
          closeClient();
          reportDown(reason);
          return initialDelay;
        }
        if (kind === 'exception') answered = true;
        else timeouts++;
        logger.warn({ table: request.table, address: request.address, length: request.length, reason }, `${where}: read failed`);
        markBad(request.points.map((p) => p.point), reason);
      }
    }
    // a port that stays open says nothing on a serial line (or behind a gateway): a poll nobody answered is a lost device
    if (answered) setOnline(true);
    else if (timeouts > 0 && !stopping) {
      if (onlineReported !== false) logger.warn(`${where}: device silent, no answer from unit ${source.unitId}`);
      setOnline(false, `timeout (no answer from unit ${source.unitId})`);
    }
    // a poll every pollIntervalMs from start to start, however long the reads took (at once when they took longer)
    return Math.max(0, source.pollIntervalMs - (performance.now() - startedAt));
  }

  const schedule = (delay: number) => {
    if (stopping) return;
    timer = setTimeout(() => {
      cycleDone = cycle().then(schedule, (error: unknown) => {
        logger.error({ err: error }, `${where}: poll failed`);
        schedule(source.pollIntervalMs);
      });
    }, delay);
  };
  schedule(0);

  return {
    async stop() {
      stopping = true;
      clearTimeout(timer);
      closeClient();
      await cycleDone;
      figures.online = false;
      logger.info(`${where}: stopped`);
    },
  };
}
