import type { TransferDeclaration } from '../../../model/index.ts';
import type { TransferDesk } from '../routes/transfers.ts';

/** Declared transfers kept in memory (the engine keeps them in the running system): the last declaration per tank. */
export function createMemoryTransferDesk(): TransferDesk {
  const declared = new Map<string, TransferDeclaration[]>();
  return {
    declareTransfer(siteId, declaration) {
      declared.set(siteId, [...(declared.get(siteId) ?? []).filter((d) => d.tank !== declaration.tank), declaration]);
      return declaration;
    },
    transfers: (siteId) => declared.get(siteId) ?? [],
  };
}
