import { createContext } from 'svelte';
import type { Locale } from './locale.svelte.ts';

/** The UI language, shared by every component under App. */
export const [getLocale, setLocale] = createContext<Locale>();
