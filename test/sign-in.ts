// Signing in to the running system as a test user, through the real POST /api/session (API) or the login page (browser).
import type { Page } from 'playwright-core';
import { signIn, type SignedIn } from '../ui/server/index.ts';

/** What the test system offers when main.ts passes users to the UI: a name and password per role. */
export interface TestCredentials {
  users?: Record<string, { name: string; password: string }>;
}

interface Running extends TestCredentials {
  url: string;
}

async function authentication(url: string): Promise<'on' | 'off'> {
  const answer = (await (await fetch(`${url}/api/session`)).json()) as { authentication: 'on' | 'off' };
  return answer.authentication;
}

/**
 * An API client signed in as `who`. While the composition root runs the UI without users
 * (authentication off, which the server reports), a plain client is returned instead.
 */
export async function apiAs(system: Running, who: string): Promise<Pick<SignedIn, 'fetch'>> {
  if ((await authentication(system.url)) === 'off') return { fetch: (path, init) => fetch(new URL(path, system.url), init) };
  const credentials = system.users?.[who];
  if (!credentials) throw new Error(`authentication is on but the test system has no "${who}" user`);
  return signIn(system.url, credentials.name, credentials.password);
}

/** Opens the app in the page and signs in through the login form when the server asks for it. */
export async function openSignedIn(page: Page, system: Running, who: string): Promise<void> {
  await page.goto(system.url);
  if ((await authentication(system.url)) === 'off') return;
  const credentials = system.users?.[who];
  if (!credentials) throw new Error(`authentication is on but the test system has no "${who}" user`);
  await page.getByTestId('login-name').fill(credentials.name);
  await page.getByTestId('login-password').fill(credentials.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user').waitFor();
}
