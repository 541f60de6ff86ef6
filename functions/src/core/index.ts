// The service's records (keys, jobs, usage) for other workspaces (the CLI's admin commands).
export { createKey, listKeys, revokeKey, keyIdOf, getKey, type PublicKeyRecord, type CreateKeyInput } from './keys.js';
export { summarizeUsage, monthlyBillable, utcDay, utcMonth, type UsageRow } from './usage.js';
export { ObjectStore } from './objects.js';
