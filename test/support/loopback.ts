/**
 * The HTTP fakes (Slack, the model) share one shape: listen on a free loopback port, expose
 * the base URL, and stop by cutting their open connections first (a bot under test may hold
 * keep-alive or hanging requests, and `close()` alone would wait for them). Each fake
 * extends LoopbackFake and only builds its own request handler.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class LoopbackFake {
  /** `http://127.0.0.1:PORT` once started; empty before. */
  base = '';
  private server: Server | null = null;

  /** Listens on 127.0.0.1 on a free port (the subclass's `start` builds the server). */
  protected async listen(server: Server): Promise<void> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    this.server = server;
    this.base = `http://127.0.0.1:${port}`;
  }

  /** Closes every connection, then the server; a fake stopped twice or never started is fine. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
