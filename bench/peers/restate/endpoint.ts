// The Restate side of `npm run bench -- --peers`: one SDK endpoint process serving the workflow
// `bench`, whose handler `run` runs the five no-op steps as `ctx.run` calls: a, b, c, then d and e
// in parallel. HTTP/2 on 127.0.0.1:$BENCH_RESTATE_ENDPOINT_PORT; the server is registered with it
// through the admin API by the benchmark.
import { createServer } from 'node:http2';
import * as restate from '@restatedev/restate-sdk';

// The SDK calls Promise.withResolvers (Node 22+); the project runs on Node 20, which lacks it.
const promiseWithResolvers = Promise as unknown as { withResolvers?: () => unknown };
promiseWithResolvers.withResolvers ??= () => {
  let resolve!: (v: unknown) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
};

const noop = async () => ({ ok: true });

const bench = restate.workflow({
  name: 'bench',
  handlers: {
    async run(ctx: restate.WorkflowContext) {
      await ctx.run('a', noop);
      await ctx.run('b', noop);
      await ctx.run('c', noop);
      await restate.RestatePromise.all([ctx.run('d', noop), ctx.run('e', noop)]);
      return { ok: true };
    },
  },
});

const port = Number(process.env['BENCH_RESTATE_ENDPOINT_PORT'] ?? 29080);
createServer(restate.createEndpointHandler({ services: [bench] })).listen(port, '127.0.0.1', () => {
  process.stderr.write(`{"message":"ready","port":${port}}\n`);
});
