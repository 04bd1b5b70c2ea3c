import { pino, type Logger } from 'pino';
import { systemClock, type ModbusSource, type Point, type SampleValue } from '../../model/index.ts';
import { createSourceFigures, type SourceFigures } from '../source-figures.ts';
import { sourceLife } from '../source-life.ts';
import { CollectorError, onlinePointId, type SampleSink, type Source } from '../source.ts';
import { createOnlineSignal } from '../online-signal.ts';
import { createWarnLimiter } from '../warn-limiter.ts';
import { decodeRegister } from './decode.ts';
import { describeFailure } from './failure-reason.ts';
import { openMbapLink } from './mbap-link.ts';
import { LinkFault, type ModbusLink, type ReadOutcome } from './modbus-link.ts';
import { planRequests, registerWidth, splitRequest, type ReadRequest } from './plan-requests.ts';
import { openSerialLink, type SerialTarget } from './serial-link.ts';

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

  return sourceLife(source.id, 'modbus', where, figures, (sink) => poll({ ...options, logger, where, target, plan, figures }, sink));
}

/** Where the device is: a TCP host and port, or a serial line. */
type Target = { kind: 'tcp'; host: string; port: number } | SerialTarget;

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
    target = transport === 'tcp' ? { kind: 'tcp', host: match[1]!, port } : { kind: 'rtu-over-tcp', host: match[1]!, port };
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
  if (!Number.isInteger(line.baudRate) || line.baudRate < 50 || line.baudRate > 4_000_000)
    fail(`baudRate ${String(line.baudRate)} must be a whole number of bits per second, 50 to 4000000 (e.g. 9600, 19200)`);
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

function openLink(target: Target, source: ModbusSource): Promise<ModbusLink> {
  return target.kind === 'tcp' ? openMbapLink(target.host, target.port, source.unitId, source.timeoutMs) : openSerialLink(target, source);
}

/** What the source knows of one point between polls. */
interface Cell {
  point: Point;
  value: SampleValue | undefined;
  /** the last sample delivered was good */
  good: boolean;
}

/** One read of the plan, with the cells of its points in the same order. */
interface PlannedRead {
  request: ReadRequest;
  cells: Cell[];
}

function poll(options: PollOptions, sink: SampleSink): { stop(): Promise<void> } {
  const { site, source, points, logger, where, figures } = options;
  const now = options.now ?? systemClock.now;
  const initialDelay = options.reconnect?.initialDelayMs ?? 500;
  const maxDelay = options.reconnect?.maxDelayMs ?? 10_000;
  const warnings = createWarnLimiter(logger, { now });
  const cellOf = new Map<string, Cell>(points.map((point) => [point.id, { point, value: undefined, good: false }]));
  const planned = (request: ReadRequest): PlannedRead => ({ request, cells: request.points.map(({ point }) => cellOf.get(point.id)!) });
  /** the reads of a poll; a coalesced read a device refuses is replaced by its parts for good */
  const plan = options.plan.map(planned);

  /** `<source>.online`: true once a point reads good, false when none does or the connection is gone */
  const online = createOnlineSignal(points.length, (value, reason) => {
    figures.online = value;
    sink({ site, point: onlinePointId(source.id), value, quality: 'good', ts: now(), ...(reason ? { reason } : {}) });
  });
  const markBad = (cells: Cell[], reason: string) => {
    const ts = now();
    for (const cell of cells) {
      online.reading(false, cell.good, reason);
      cell.good = false;
      figures.meter.add();
      sink({ site, point: cell.point.id, value: cell.value ?? (cell.point.unit === 'bool' ? false : Number.NaN), quality: 'bad', reason, ts });
    }
  };
  const deliver = (read: PlannedRead, words: number[], bits: boolean[]) => {
    const ts = now();
    const { points: members } = read.request;
    for (let i = 0; i < members.length; i++) {
      const cell = read.cells[i]!;
      const value = decodeRegister(cell.point.register!, words, bits, members[i]!.offset);
      if (!cell.good) online.reading(true, false, undefined);
      cell.good = true;
      cell.value = value;
      sink({ site, point: cell.point.id, value, quality: 'good', ts });
    }
    figures.meter.add(members.length);
  };

  let link: ModbusLink | undefined;
  let opened = 0;
  /** connection attempts, timeouts and frames out of step in a row, with no answer between them */
  let faults = 0;
  let downReported = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let cycleDone: Promise<void> = Promise.resolve();

  const closeLink = () => {
    link?.close();
    link = undefined;
  };
  const backOff = () => Math.min(maxDelay, initialDelay * 2 ** Math.max(0, faults - 1));
  /** the device cannot be reached: offline, every point bad with the reason, once per outage */
  const reportDown = (reason: string) => {
    if (downReported) return;
    downReported = true;
    warnings.warn(`unreachable: ${reason}`, { reason }, `${where}: device unreachable`);
    online.lost(reason);
    markBad([...cellOf.values()], reason);
  };

  async function connect(): Promise<boolean> {
    try {
      link = await openLink(options.target, source);
      if (stopping) return false;
      if (opened++ > 0) figures.reconnects++;
      downReported = false;
      online.connected();
      warnings.info('connected', { connections: opened }, `${where}: connected`);
      return true;
    } catch (error) {
      faults++;
      reportDown(error instanceof LinkFault ? error.reason : describeFailure(error).reason);
      return false;
    }
  }

  async function cycle(): Promise<number> {
    if (!link?.isOpen) {
      closeLink();
      if (!(await connect())) return backOff();
    }
    const startedAt = performance.now();
    // a poll every pollIntervalMs from start to start, however long the reads took (at once when they took longer)
    const untilNextPoll = () => Math.max(0, source.pollIntervalMs - (performance.now() - startedAt));
    let timeouts = 0;
    for (let i = 0; i < plan.length; i++) {
      if (stopping || !link) break;
      const read = plan[i]!;
      const { request } = read;
      let outcome: ReadOutcome;
      try {
        const sentAt = performance.now();
        outcome = await link.read(request);
        figures.lastLatencyMs = performance.now() - sentAt;
      } catch (error) {
        if (stopping) break;
        const fault = error instanceof LinkFault ? error : new LinkFault('connection', describeFailure(error).reason);
        if (fault.kind === 'connection') {
          closeLink();
          faults++;
          reportDown(fault.reason);
          return backOff();
        }
        markBad(read.cells, fault.reason);
        if (fault.kind === 'timeout' && !link.reopenAfterTimeout) {
          timeouts++;
          warnings.warn(`read failed: ${fault.reason}`, { table: request.table, address: request.address, length: request.length, reason: fault.reason }, `${where}: read failed`);
          continue;
        }
        // a late answer may still come, or part of one is stuck in the stream: every later answer
        // would be read out of step. Drop the connection and go on with the next read on a new
        // one (so one read that is never answered cannot starve the others); when that keeps
        // happening with no answer in between, wait for the next poll, backing off.
        faults++;
        warnings.warn(
          `out of step: ${fault.kind}`,
          { table: request.table, address: request.address, length: request.length, reason: fault.reason },
          `${where}: ${fault.reason}; reconnecting`,
        );
        closeLink();
        if (faults > 1) return Math.max(untilNextPoll(), backOff());
        if (!(await connect())) return backOff();
        continue;
      }
      faults = 0;
      if (outcome.kind === 'data') {
        deliver(read, outcome.words, outcome.bits);
        continue;
      }
      if (outcome.split && request.points.length > 1) {
        const parts = splitRequest(request);
        if (parts.length > 1) {
          warnings.warn(
            `split ${request.table} ${request.address}`,
            { table: request.table, address: request.address, length: request.length, reason: outcome.reason, parts: parts.length },
            `${where}: read refused (${outcome.reason}); reading its points one by one from now on`,
          );
          plan.splice(i, 1, ...parts.map(planned));
          i--;
          continue;
        }
      }
      warnings.warn(`refused: ${outcome.reason}`, { table: request.table, address: request.address, length: request.length, reason: outcome.reason }, `${where}: read refused`);
      markBad(read.cells, outcome.reason);
    }
    // on a serial line the port stays open when the device dies: silence is the only sign
    if (timeouts === plan.length && timeouts > 0 && !stopping) warnings.warn('silent', { unit: source.unitId }, `${where}: device silent, no answer from unit ${source.unitId}`);
    return untilNextPoll();
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
      closeLink();
      await cycleDone;
      closeLink(); // one opened while stopping
      warnings.stop();
      figures.online = false;
      logger.info(`${where}: stopped`);
    },
  };
}
