import { createContext } from 'svelte';
import type { Locale } from './locale.svelte.ts';
import type { Session } from './session.svelte.ts';

/** The UI language, shared by every component under App. */
export const [getLocale, setLocale] = createContext<Locale>();

/** Who is signed in (and the CSRF token for changes). */
export const [getSession, setSession] = createContext<Session>();
