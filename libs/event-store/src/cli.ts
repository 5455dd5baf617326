/**
 * Event-store command line:
 *   DATABASE_URL=postgres://... [BATON_SERVICE_PASSWORD=...] \
 *     node -r @swc-node/register libs/event-store/src/cli.ts migrate
 * Exit code 0 when the schema is up to date, 1 on any error, 2 on a usage error.
 */
import { migrate } from './migrations/migrate';

async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (command !== 'migrate') {
    process.stderr.write('usage: cli.ts migrate   (reads DATABASE_URL, optional BATON_SERVICE_PASSWORD)\n');
    return 2;
  }
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is not set\n');
    return 2;
  }
  const applied = await migrate(url, { servicePassword: process.env.BATON_SERVICE_PASSWORD });
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'event store schema is up to date\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
