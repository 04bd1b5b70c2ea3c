import type { HazardContext, HazardWatcher } from './hazard-model.ts';
import { createOverfillWatchers } from './overfill.ts';
import { createTankFireWatchers } from './tank-fire.ts';
import { createDikeFireWatchers } from './dike-fire.ts';
import { createLightningWatchers } from './lightning.ts';
import { createStuckGaugeWatchers } from './stuck-gauge.ts';
import { createShutoffValveWatchers } from './shutoff-valves.ts';
import { createGasCloudWatchers } from './gas-cloud.ts';
import { createVceModel } from './vce.ts';
import { createBoiloverWatchers } from './boilover.ts';
import { createProtectionLostWatchers } from './protection-lost.ts';
import { createSuspectedAttackWatchers } from './suspected-attack.ts';
import { createSpillToSeaWatchers } from './spill-to-sea.ts';
import { createFloodWatchers } from './flood.ts';
import { createCommsLossWatchers } from '../comms-loss.ts';
import { createSirenTestWatchers } from '../siren-test/index.ts';

/** Every hazard model the standard gives parameters for, on every subject it applies to. */
export function createHazardWatchers(context: HazardContext): HazardWatcher[] {
  const { hazards } = context.standard;
  // the vapour cloud explosion hears the gas cloud's flammable extent
  const vce = hazards.vce && hazards['gas-cloud'] ? createVceModel(context, hazards.vce) : undefined;
  return [
    // the gauge's doubt first: the clauses reading a doubted level turn unknown on the very reading that raised the doubt
    ...(hazards['stuck-gauge'] ? createStuckGaugeWatchers(context, hazards['stuck-gauge']) : []),
    ...(hazards.overfill ? createOverfillWatchers(context, hazards.overfill) : []),
    ...(hazards['tank-fire'] ? createTankFireWatchers(context, hazards['tank-fire']) : []),
    ...(hazards['dike-fire'] ? createDikeFireWatchers(context, hazards['dike-fire']) : []),
    ...(hazards['gas-cloud'] ? createGasCloudWatchers(context, hazards['gas-cloud'], vce?.cloud) : []),
    ...(hazards.boilover ? createBoiloverWatchers(context, hazards.boilover) : []),
    ...(hazards['protection-lost'] ? createProtectionLostWatchers(context, hazards['protection-lost']) : []),
    ...(hazards['suspected-attack'] ? createSuspectedAttackWatchers(context, hazards['suspected-attack']) : []),
    ...(hazards['spill-to-sea'] ? createSpillToSeaWatchers(context, hazards['spill-to-sea']) : []),
    ...(hazards['comms-loss'] ? createCommsLossWatchers(context, hazards['comms-loss']) : []),
    ...(hazards.lightning ? createLightningWatchers(context, hazards.lightning) : []),
    ...(hazards['shutoff-valve'] ? createShutoffValveWatchers(context, hazards['shutoff-valve']) : []),
    ...(hazards.flood ? createFloodWatchers(context, hazards.flood) : []),
    // the siren test's pattern is its evidence clause's params (a test, not a hazard)
    ...createSirenTestWatchers(context),
  ];
}
