import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const SOCAT = process.env.KETWIN_SOCAT ?? '/usr/bin/socat';

/** Two ttys joined back to back by socat, as a null-modem cable joins two serial ports. */
export interface PtyPair {
  /** the device the slave opens */
  readonly slaveEnd: string;
  /** the device the collector opens */
  readonly masterEnd: string;
  /** every byte the collector side has sent so far, in order (from socat's hex dump) */
  sentByMaster(): Buffer;
  close(): Promise<void>;
}

/** Why no pty pair can be made here, or undefined when socat is there (Debian socat). */
export function socatMissing(): string | undefined {
  const probe = spawnSync(SOCAT, ['-V'], { encoding: 'utf8' });
  return probe.error || probe.status !== 0 ? `${SOCAT} is missing (Debian socat): ${probe.error?.message ?? probe.stderr}` : undefined;
}

/**
 * socat -x dumps what crosses it: "< date length=8 from=0 to=7" then the bytes in hex, "<" for
 * data from the right-hand address (the collector's end) to the left.
 */
function bytesFromRight(dump: string): Buffer {
  const bytes: number[] = [];
  let fromRight = false;
  for (const line of dump.split('\n')) {
    if (/^[<>] \d{4}\//.test(line)) fromRight = line.startsWith('<');
    else if (fromRight && /^ [0-9a-f]{2}( |$)/.test(line)) for (const hex of line.trim().split(/\s+/)) bytes.push(Number.parseInt(hex, 16));
  }
  return Buffer.from(bytes);
}

export async function openPtyPair(dir: string): Promise<PtyPair> {
  const slaveEnd = join(dir, 'tty-slave');
  const masterEnd = join(dir, 'tty-collector');
  const socat = spawn(SOCAT, ['-x', `pty,raw,echo=0,link=${slaveEnd}`, `pty,raw,echo=0,link=${masterEnd}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let dump = '';
  socat.stderr!.on('data', (chunk: Buffer) => void (dump += chunk.toString()));
  const deadline = Date.now() + 5000;
  while (!(existsSync(slaveEnd) && existsSync(masterEnd))) {
    if (socat.exitCode !== null || Date.now() > deadline) {
      socat.kill();
      throw new Error(`socat made no pty pair in ${dir}: ${dump}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    slaveEnd,
    masterEnd,
    sentByMaster: () => bytesFromRight(dump),
    async close() {
      if (socat.exitCode !== null || socat.signalCode !== null) return;
      const exited = new Promise((r) => socat.once('exit', r));
      socat.kill('SIGTERM');
      await exited;
    },
  };
}
