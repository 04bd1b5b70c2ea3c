export { openStore, type OpenStoreOptions } from './open.ts';
export { StoreError, type Store, type StoreErrorCode, type SeriesPoint } from './store.ts';
export { createStoreWriter, type StoreWriter, type StoreWriterOptions, type StoreWriterStats } from './writer.ts';
