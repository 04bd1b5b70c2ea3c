import type { Site } from '../../../model/index.ts';
import { createApp, type AppOptions } from '../app.ts';
import { createMemoryUserDirectory, type Role, type SiteBinding } from '../auth/users.ts';
import { createUser } from '../auth/create-user.ts';
import { startServer, type RunningServer } from '../server.ts';
import { signIn, type SignedIn } from '../sign-in.ts';
import { createMemoryLiveTwin, type MemoryLiveTwin } from './memory-live-twin.ts';
import { createMemoryTransferDesk } from './memory-transfer-desk.ts';

export const PASSWORD = 'correct horse battery staple';

/** The users the access tests sign in as: one per role, plus a manager of another site. */
export const TEST_USERS: { name: string; role: Role; sites: SiteBinding }[] = [
  { name: 'manager', role: 'manager', sites: ['zhoushan-demo'] },
  { name: 'auditor', role: 'auditor', sites: '*' },
  { name: 'rescue', role: 'rescue', sites: ['zhoushan-demo'] },
  { name: 'admin', role: 'admin', sites: '*' },
  { name: 'elsewhere', role: 'manager', sites: ['ningbo-depot'] },
];

export interface SecuredServer {
  url: string;
  live: MemoryLiveTwin;
  as(name: string): Promise<SignedIn>;
  close(): Promise<void>;
}

/** A server with authentication on, over an in-memory live view of the given sites. */
export async function startSecuredServer(sites: Site[], options: Partial<AppOptions> = {}): Promise<SecuredServer> {
  // one scrypt hash shared by every test user keeps start-up quick
  const template = createMemoryUserDirectory();
  await createUser(template, { ...TEST_USERS[0]!, password: PASSWORD });
  const hashed = (await template.list())[0]!;
  const users = createMemoryUserDirectory(TEST_USERS.map((u) => ({ ...hashed, ...u })));
  const live = createMemoryLiveTwin(sites);
  const server: RunningServer = await startServer({
    // the site page asks for the declared transfers: a desk in memory unless the test brings its own
    app: createApp({ live, staticDir: '/nonexistent', transfers: createMemoryTransferDesk(), ...options, auth: { users, ...options.auth } }),
    port: 0,
  });
  const sessions = new Map<string, SignedIn>();
  return {
    url: server.url,
    live,
    async as(name) {
      let s = sessions.get(name);
      if (!s) sessions.set(name, (s = await signIn(server.url, name, PASSWORD)));
      return s;
    },
    close: () => server.close(),
  };
}
