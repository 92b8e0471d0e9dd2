import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  json: { id: string; type: string; timestamp: string; subject: string; sequence: number | null; data: Record<string, unknown> };
  status: number;
}

/**
 * A real HTTP receiver on loopback: records every request (also the ones it fails) and answers
 * 200, or 500 while `failures[path]` is above zero (counting down) or for paths in `alwaysFail`.
 */
export class Receiver {
  readonly requests: Received[] = [];
  readonly failures: Record<string, number> = {};
  readonly alwaysFail = new Set<string>();
  /** How long each answer takes (deliveries stay in flight meanwhile). */
  delayMs = 0;
  private server!: Server;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        const path = req.url ?? '/';
        const fail = this.alwaysFail.has(path) || (this.failures[path] ?? 0) > 0;
        if (!this.alwaysFail.has(path) && fail) this.failures[path]--;
        const status = fail ? 500 : 200;
        this.requests.push({ path, headers: req.headers as Record<string, string>, body, json: JSON.parse(body) as Received['json'], status });
        setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end(fail ? 'receiver down' : 'ok'), this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The requests answered 200 at `path`. */
  delivered(path: string): Received[] {
    return this.requests.filter((r) => r.path === path && r.status === 200);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
