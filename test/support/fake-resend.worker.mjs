// The fake Resend's body reader in a worker thread (test/support/fake-resend-body.ts, `threaded`):
// a worker starts without the parent's TypeScript loader, so this plain module registers tsx first.
import { register } from 'tsx/esm/api';

register();
await import('./fake-resend-body.ts');
