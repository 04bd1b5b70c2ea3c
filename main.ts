// The CLI: one command, one file under cli/; this file only picks the command.
//   tsx main.ts start   run everything (the default); the simulated devices in a child process (cli/simulators-main.ts)
//   tsx main.ts edge    at a depot: its collectors and disk buffer, publishing to NATS JetStream
//   tsx main.ts central the engine, writer, notifier and UI of the sites it owns, fed from NATS JetStream
//   tsx main.ts check   validate every site and standard file, then exit
//   tsx main.ts audit | user   the audit log's chain and signed head; the users file
//   tsx main.ts report verify FILE   an exported report against its detached signature
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { runAuditHead, runAuditVerify } from './cli/audit.ts';
import { runCheck } from './cli/check.ts';
import { parseReportVerifyArguments, runReportVerify } from './cli/report.ts';
import { runEdge } from './cli/edge.ts';
import { optionsFromEnvironment } from './cli/options.ts';
import { runStart } from './cli/start.ts';
import { parseStartArguments } from './cli/start-arguments.ts';
import { runUserAdd, runUserChange } from './cli/user.ts';
import { USAGE } from './cli/usage.ts';

export { optionsFromEnvironment, DEFAULT_NATS, type KetwinOptions } from './cli/options.ts';
export { loadConfiguration } from './cli/configuration.ts';
export { startKetwin, type Ketwin } from './cli/ketwin.ts';
export { startEdge, type Edge, type EdgeOptions } from './cli/edge.ts';

/** Runs one CLI command; resolves to the process exit code (start keeps running until a signal). */
export async function main(argv: string[]): Promise<number> {
  const [command = 'start', ...rest] = argv;
  const options = optionsFromEnvironment(process.env);
  // a command's answer is its stdout (a signed head, a report): its log lines go to stderr
  if (command !== 'start' && command !== 'edge' && command !== 'central') options.logger = pino({ level: options.logger.level }, pino.destination(2));
  switch (command) {
    case 'start': {
      const scenario = parseStartArguments(rest, (await import('./sim/index.ts')).SCENARIOS);
      if (scenario) {
        if (!options.simulate) throw new Error('--scenario plays in the simulated depots: not with KETWIN_SIM=off');
        options.simulate.scenario = scenario;
      }
      await runStart(options);
      return 0;
    }
    case 'edge':
      if (rest.length > 0) break;
      await runEdge(options);
      return 0;
    case 'central':
      if (!(rest.length === 0 || (rest[0] === '--sites' && rest.length === 2))) break;
      options.central = { sites: rest[1]?.split(',') };
      options.simulate = false;
      await runStart(options);
      return 0;
    case 'check':
      return runCheck(options, rest);
    case 'audit':
      if (rest[0] === 'head' && rest.length === 1) return runAuditHead(options);
      if (rest[0] !== 'verify' || !(rest.length === 1 || (rest[1] === '--head' && rest.length === 3))) break;
      return runAuditVerify(options, rest[2]);
    case 'report': {
      const args = rest[0] === 'verify' ? parseReportVerifyArguments(rest.slice(1)) : undefined;
      if (!args) break;
      return runReportVerify(options, args);
    }
    case 'user':
      if (rest[0] === 'add' && rest.length === 4) return runUserAdd(options, rest[1]!, rest[2]!, rest[3]!);
      if (rest.length === 2 || (rest[0] === 'role' && rest.length === 4)) return runUserChange(options, rest);
      break;
  }
  console.error(USAGE);
  return 2;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== 0) process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    },
  );
}
