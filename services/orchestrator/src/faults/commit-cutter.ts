/**
 * A TCP proxy in front of PostgreSQL that makes commits ambiguous: when armed, it forwards a
 * client's `COMMIT` (a simple-protocol Query message, as node-postgres sends it) to the server,
 * then drops the connection before the server's reply can reach the client. The client cannot
 * know whether its transaction committed; the server may have committed it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

const COMMIT = Buffer.from([0x51, 0, 0, 0, 11, ...Buffer.from('COMMIT'), 0]); // 'Q', int32 length 11, "COMMIT\0"

/** The proxy; `cutEvery` commits seen, one is cut while armed. */
export class CommitCutter {
  cuts = 0;
  commits = 0;
  armed = false;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly upstreamPort: number, private readonly cutEvery = 10) {}

  /** Listens on a free port of 127.0.0.1; resolves with it. */
  async start(): Promise<number> {
    this.server = createServer((client) => this.pipe(client));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server.address() as { port: number }).port;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.upstreamPort, '127.0.0.1');
    this.sockets.add(client).add(upstream);
    let cut = false;
    const end = () => { client.destroy(); upstream.destroy(); this.sockets.delete(client); this.sockets.delete(upstream); };
    client.on('data', (chunk: Buffer) => {
      if (chunk.includes(COMMIT)) {
        this.commits++;
        if (this.armed && this.commits % this.cutEvery === 0) {
          cut = true;
          this.cuts++;
          upstream.write(chunk, () => setTimeout(end, 5)); // the server gets the COMMIT; its reply never comes back
          return;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => { if (!cut) client.write(chunk); });
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  }
}
