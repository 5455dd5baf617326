// The one worker process of the Temporal side of `npm run bench -- --peers`: task queue `bench`,
// namespace `default`, on the dev server at $TEMPORAL_ADDRESS; the SDK's default worker options.
import { NativeConnection, Worker } from '@temporalio/worker';
import * as activities from './activities';

async function main(): Promise<void> {
  const connection = await NativeConnection.connect({ address: process.env['TEMPORAL_ADDRESS'] ?? '127.0.0.1:27233' });
  const worker = await Worker.create({
    connection, namespace: 'default', taskQueue: 'bench', workflowsPath: require.resolve('./workflows'), activities,
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  process.stderr.write('{"message":"ready"}\n');
  await running;
  await connection.close();
}

main().catch((error: Error) => { process.stderr.write(`${error.stack ?? error.message}\n`); process.exit(1); });
