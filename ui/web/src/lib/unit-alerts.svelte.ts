import { eventsUrl, fetchMyUnits, type Alert, type MyUnit } from './api.ts';

/**
 * What tells a named responsible person (包保责任人) of each new alert on their units, on any page: their
 * units (GET /api/responsibility) and the all-sites event stream; each alert raised on a member asset
 * while the app is open waits in `fresh` until dismissed.
 */
export class UnitAlerts {
  #units = $state<MyUnit[]>([]);
  #fresh = $state<{ alert: Alert; unit: MyUnit }[]>([]);
  #source: EventSource | null = null;
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- ids already shown: bookkeeping, nothing renders it
  #seen = new Set<string>();

  get units(): MyUnit[] {
    return this.#units;
  }

  get fresh(): { alert: Alert; unit: MyUnit }[] {
    return this.#fresh;
  }

  async connect(): Promise<void> {
    this.close();
    try {
      this.#units = await fetchMyUnits();
    } catch {
      return;
    }
    if (this.#units.length === 0) return;
    const source = new EventSource(eventsUrl());
    this.#source = source;
    source.addEventListener('alert', (e) => this.#heard(JSON.parse((e as MessageEvent<string>).data) as Alert));
  }

  dismiss(id: string): void {
    this.#fresh = this.#fresh.filter((f) => f.alert.id !== id);
  }

  close(): void {
    this.#source?.close();
    this.#source = null;
  }

  #heard(alert: Alert): void {
    if (alert.transition?.action !== 'raise' || this.#seen.has(alert.id)) return;
    const unit = this.#units.find((u) => u.site === alert.site && alert.subjects.some((s) => u.members.includes(s)));
    if (!unit) return;
    this.#seen.add(alert.id);
    this.#fresh = [{ alert, unit }, ...this.#fresh];
  }
}
