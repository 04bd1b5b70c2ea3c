import { ApiError, type SessionAnswer, type SessionUser, fetchSession, signIn, signOut, whenSignedOut } from './api.ts';

/** Who is signed in; the app shows the sign-in page while nobody is (and authentication is on). */
export class Session {
  #answer = $state<SessionAnswer | null>(null);
  #error = $state<string | null>(null);
  #busy = $state(false);

  constructor() {
    whenSignedOut(() => {
      if (this.#answer?.user && this.#answer.authentication === 'on') this.#answer = { ...this.#answer, user: null, csrf: null };
    });
  }

  get loaded(): boolean {
    return this.#answer !== null;
  }
  get user(): SessionUser | null {
    return this.#answer?.user ?? null;
  }
  get demo(): boolean {
    return this.#answer?.demo ?? false;
  }
  get authentication(): 'on' | 'off' {
    return this.#answer?.authentication ?? 'on';
  }
  get csrf(): string | null {
    return this.#answer?.csrf ?? null;
  }
  get error(): string | null {
    return this.#error;
  }
  get busy(): boolean {
    return this.#busy;
  }
  /** show the app, not the sign-in page */
  get admitted(): boolean {
    return this.user !== null || this.authentication === 'off';
  }

  async load(): Promise<void> {
    try {
      this.#answer = await fetchSession();
    } catch (err) {
      this.#error = err instanceof Error ? err.message : String(err);
    }
  }

  async signIn(name: string, password: string): Promise<boolean> {
    this.#busy = true;
    this.#error = null;
    try {
      this.#answer = await signIn(name, password);
      return true;
    } catch (err) {
      this.#error = err instanceof ApiError ? err.message : String(err);
      return false;
    } finally {
      this.#busy = false;
    }
  }

  async signOut(): Promise<void> {
    try {
      await signOut(this.csrf);
    } finally {
      await this.load();
    }
  }
}
