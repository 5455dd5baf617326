/**
 * One peer of the benchmark (Restate, DBOS, Temporal): installed by `bench/peers/install.sh`,
 * started on loopback with its own default durability, driven case by case by the benchmark.
 */
export interface Peer {
  /** Name in the report, e.g. `Restate`. */
  readonly name: string;
  /** Whether a completed case is on disk when it is answered (false: kept in memory only). */
  readonly durable: boolean;
  /** Why this peer cannot run on this machine (not installed, build failed), or null when it can. */
  missing(): string | null;
  /** Starts the peer's server and its one worker process and waits until a case can run. @throws Error with the logs' tail */
  start(): Promise<void>;
  /** Starts one case (workflow id = `key`) and resolves when it completed. @throws Error when it failed */
  runCase(key: string): Promise<void>;
  /** Pids of every process of the peer, by role (e.g. `server`, `worker`; DBOS: `app`, `postgres` backends), for CPU. */
  cpuPids(): Promise<Record<string, number[]>>;
  /** Pids whose peak memory (`VmHWM`) is the peer's: server and worker (not the shared Postgres). */
  memoryPids(): number[];
  /** How it was set up, for the report: versions, durability, configuration. */
  setup(): string;
  /** Stops every process it started and removes its scratch data. Never throws. */
  stop(): Promise<void>;
}
