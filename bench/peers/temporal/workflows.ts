// The workflow of the Temporal side of `npm run bench -- --peers`: a, b, c, then d and e in
// parallel, each a no-op activity (the SDK's default retry policy; a start-to-close timeout is required).
import { proxyActivities } from '@temporalio/workflow';
import type * as activities from './activities';

const { a, b, c, d, e } = proxyActivities<typeof activities>({ startToCloseTimeout: '1 minute' });

export async function benchNoop(): Promise<{ ok: boolean }> {
  await a();
  await b();
  await c();
  await Promise.all([d(), e()]);
  return { ok: true };
}
