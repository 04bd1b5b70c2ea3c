/** DeadLetterStore's contract, run by db/store.contract.ts against every backend. */
import { expect, it } from 'vitest';
import type { DeadLetterStore } from './dead-letter-store.ts';
import { T0 } from './store-contract-rows.ts';

export function deadLetterStoreContract(store: () => DeadLetterStore): void {
  it('keeps dead letters with their lane, error and the escaped row', async () => {
    await store().writeDeadLetters([
      { lane: 'alerts', payload: JSON.stringify({ comment: 'a\u0000b' }), error: 'unsupported Unicode escape sequence', code: '22P05', attempts: 3, failedAt: T0 },
    ]);
    const [letter] = await store().deadLetters({ lane: 'alerts' });
    expect(letter).toMatchObject({ lane: 'alerts', code: '22P05', attempts: 3, failedAt: T0 });
    expect(JSON.parse(letter!.payload)).toEqual({ comment: 'a\u0000b' });
    expect(await store().deadLetters({ lane: 'samples' })).toEqual([]);
  });
}
