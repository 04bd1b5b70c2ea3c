/** A signed-in HTTP client: what scripts and cross-part tests use to call the API as a user. */
export interface SignedIn {
  user: { name: string; role: string; sites: string[] | '*' };
  /** the Cookie header value to send */
  cookie: string;
  csrf: string;
  /** fetch against the server with the session cookie (and the CSRF header on changes) */
  fetch(path: string, init?: RequestInit): Promise<Response>;
}

/** Signs in through POST /api/session, as the web app does. */
export async function signIn(baseUrl: string, name: string, password: string): Promise<SignedIn> {
  const res = await fetch(new URL('/api/session', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${name} failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { user: SignedIn['user']; csrf: string };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .filter((c) => c && !c.endsWith('='))
    .join('; ');
  return {
    user: body.user,
    cookie,
    csrf: body.csrf,
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      const method = (init.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && method !== 'HEAD') headers.set('x-csrf-token', body.csrf);
      return fetch(new URL(path, baseUrl), { ...init, headers });
    },
  };
}
