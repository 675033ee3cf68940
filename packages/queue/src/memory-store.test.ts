import { createMemoryStore } from './memory-store.js';
import { queueStoreContract } from './queue-store-contract.test-support.js';

queueStoreContract('createMemoryStore', async () => {
  const store = createMemoryStore();
  return { store, dispose: () => store.close() };
});
