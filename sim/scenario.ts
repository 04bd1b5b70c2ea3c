import { readFile } from 'node:fs/promises';
import { basename, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { SimError } from './sim-error.ts';

const seconds = z.number().nonnegative();
const pointId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*\.[a-z][a-z0-9_]*$/, 'must be a point id such as T101.level');
const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/);
const position = z.strictObject({ x: z.number(), y: z.number() });
/** where an event happens: at an asset, or at a position on the site plan (m) */
const place = z.union([z.strictObject({ asset: id }), z.strictObject({ position })]);

const step = z.discriminatedUnion('action', [
  z.strictObject({ at: seconds, action: z.literal('set'), point: pointId, value: z.union([z.number(), z.boolean()]) }),
  z.strictObject({ at: seconds, action: z.literal('ramp'), point: pointId, to: z.number(), over: z.number().positive() }),
  z.strictObject({ at: seconds, action: z.literal('freeze'), point: pointId }),
  z.strictObject({ at: seconds, action: z.literal('release'), point: pointId }),
  z.strictObject({ at: seconds, action: z.literal('fail'), point: pointId, failure: z.union([z.number().int().min(1).max(11), z.literal('timeout')]).optional() }),
  z.strictObject({ at: seconds, action: z.literal('drop'), source: id }),
  z.strictObject({ at: seconds, action: z.literal('restore'), source: id }),
  z.strictObject({ at: seconds, action: z.literal('leak'), where: place, rate: z.number().nonnegative() }),
  z.strictObject({ at: seconds, action: z.literal('fire'), tank: id, stage: z.enum(['none', 'rim-seal', 'full-surface']) }),
  z.strictObject({ at: seconds, action: z.literal('explosion'), where: place }),
  z.strictObject({ at: seconds, action: z.literal('mains'), available: z.boolean() }),
  z.strictObject({ at: seconds, action: z.literal('flow'), tank: id, m3h: z.number() }),
]);

export const scenarioSchema = z.strictObject({
  name: id,
  title: z.strictObject({ zh: z.string().min(1), en: z.string().min(1) }),
  description: z.string().optional(),
  /** the site the scenario's points and assets belong to */
  site: id.optional(),
  steps: z.array(step).min(1),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = Scenario['steps'][number];

const SCENARIO_DIR = fileURLToPath(new URL('./scenarios/', import.meta.url));

/** The names of the scenarios shipped in sim/scenarios. */
export const SCENARIOS = [
  'tank-overfill',
  'gas-leak',
  'rim-seal-fire',
  'dike-fire',
  'thunderstorm',
  'stuck-gauge',
  'mains-power-loss',
  'plc-dropout',
  'attack',
  'spill-to-sea',
  'fire-comms-power',
] as const;

/** Loads a scenario by name (sim/scenarios/<name>.yaml) or from a file; a broken one is a SimError naming the file and place. */
export async function loadScenario(nameOrFile: string): Promise<Scenario> {
  const file = /[/\\]|\.ya?ml$/.test(nameOrFile) ? (isAbsolute(nameOrFile) ? nameOrFile : nameOrFile) : `${SCENARIO_DIR}${nameOrFile}.yaml`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new SimError('SIM_SCENARIO', `scenario ${JSON.stringify(nameOrFile)} not found (${file}); shipped: ${SCENARIOS.join(', ')}`);
  }
  return parseScenario(text, basename(file));
}

export function parseScenario(text: string, file = 'scenario'): Scenario {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new SimError('SIM_SCENARIO', `${file}: not valid YAML: ${(error as Error).message}`);
  }
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new SimError('SIM_SCENARIO', `${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  return result.data;
}
