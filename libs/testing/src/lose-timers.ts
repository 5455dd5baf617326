import { Client } from 'pg';

/**
 * Deletes every pending timer of a case, the way the timer loop of issue 15 lost them: for tests
 * of the stuck-case check and its repair.
 * @param url - the database (owner connection)
 * @returns how many timers were deleted
 */
export async function loseTimers(url: string, caseId: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('DELETE FROM timers WHERE stream_id = $1', [caseId])).rowCount ?? 0;
  } finally {
    await client.end();
  }
}
