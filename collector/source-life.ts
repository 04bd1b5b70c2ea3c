import { CollectorError, type SampleSink, type Source, type SourceStats } from './source.ts';
import { sourceStats, type SourceFigures } from './source-figures.ts';

/** What a driver's run gives back: how to stop it. */
export interface Running {
  stop(): Promise<void>;
}

/**
 * A driver as a Source: started once at a time (a second start is COLLECTOR_STATE), stopped by what its
 * run gave back, its figures read out by stats(). Every protocol's source is this shell around its run.
 */
export function sourceLife(id: string, protocol: SourceStats['protocol'], where: string, figures: SourceFigures, run: (sink: SampleSink) => Running): Source {
  let running: Running | undefined;
  return {
    id,
    async start(sink) {
      if (running) throw new CollectorError('COLLECTOR_STATE', `${where}: already started`);
      running = run(sink);
    },
    async stop() {
      const current = running;
      running = undefined;
      await current?.stop();
    },
    stats: () => sourceStats(id, protocol, figures),
  };
}
