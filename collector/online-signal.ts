/**
 * `<source>.online`, the signal the engine's communications-loss alarm reads: true only once a
 * point of the source has a good reading, false as soon as none has (refused connection, lost
 * session, timeouts or exceptions on every point — whatever the reason). A reconnection that
 * brings no good reading therefore never shows the source online, so a device that flaps or
 * refuses every read is alarmed after the alarm's delay, and the alarm clears only on a good reading.
 */
export interface OnlineSignal {
  readonly online: boolean;
  /**
   * A reading of a point: `wasGood` is whether its previous reading was good. Cheap enough for
   * every sample; reports a change of the signal only.
   */
  reading(good: boolean, wasGood: boolean, reason: string | undefined): void;
  /** the connection is gone (or could not be made): offline at once, with the reason */
  lost(reason: string): void;
  /** the connection is up: online for a source that has no points to prove it by */
  connected(): void;
}

export function createOnlineSignal(pointCount: number, report: (online: boolean, reason?: string) => void): OnlineSignal {
  let good = 0;
  let reported: boolean | undefined;
  const set = (online: boolean, reason?: string) => {
    if (reported === online) return;
    reported = online;
    report(online, reason);
  };
  return {
    get online() {
      return reported === true;
    },
    reading(isGood, wasGood, reason) {
      if (isGood) {
        if (!wasGood) good++;
        if (reported !== true) set(true);
        return;
      }
      if (wasGood) good--;
      if (good <= 0 && reported !== false) set(false, `no good reading (${reason ?? 'bad'})`);
    },
    lost(reason) {
      set(false, reason);
    },
    connected() {
      if (pointCount === 0) set(true);
    },
  };
}
