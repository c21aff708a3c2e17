// A TCP proxy on 127.0.0.1 that a test (or the soak run) can cut: every open connection is
// destroyed and new ones are refused until it is restored. Put in front of PostgreSQL or an
// SMTP peer, it makes "the connection dropped mid-flow" without touching the shared server.
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** Destroys every connection and refuses new ones (as a dead peer does). */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Ports of this session's range (4500–4599); the first free one from `from` is taken. */
export async function startTcpProxy(target: { host: string; port: number }, from = 4520): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let cut = false;
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    const forget = () => { sockets.delete(client); sockets.delete(upstream); client.destroy(); upstream.destroy(); };
    client.on('error', forget).on('close', forget);
    upstream.on('error', forget).on('close', forget);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await listenOnFreePort(server, from);
  return {
    port,
    cut() {
      cut = true;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    restore() {
      cut = false;
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

async function listenOnFreePort(server: net.Server, from: number): Promise<number> {
  for (let port = from; port < 4600; port++) {
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (listening) return port;
  }
  throw new Error('no free port in 4500–4599');
}
