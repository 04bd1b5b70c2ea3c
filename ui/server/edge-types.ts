/** What central knows of the edge that reads a site's devices at the depot (`ketwin edge`), from its health beats on the bus. */
export interface EdgeStatus {
  site: string;
  /** the edge's id (new at each of its starts); absent while none has been heard since central started */
  edge?: string;
  /** when the bus stored its last beat, ms since epoch */
  heardAt?: number;
  /** no beat for `silentAfterMs`: the edge, its link or its process is down */
  silent: boolean;
  silentAfterMs: number;
  /** the edge's own link to the bus, as it last said */
  link?: 'up' | 'down';
  /** what its disk buffer holds, not yet acknowledged by the bus: samples, bytes on disk, and how many it dropped when full */
  backlog?: { samples?: number; onDisk?: number; dropped?: number };
  /** samples it published since its start */
  published?: number;
  /** the devices it reads; none is online while the edge is silent */
  sources: { id: string; online: boolean; samples?: number }[];
}
