import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { isPrivateAddress, safeLookup } from './ssrf';

export interface SendResult {
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
  responseExcerpt: string | null;
}

const EXCERPT = 1000;

/**
 * One POST of a signed payload. The host is resolved through safeLookup (private addresses
 * refused before connecting) and the connected socket's remote address is checked again (an IP
 * literal skips the lookup). Redirects are not followed. The whole attempt — connect, send,
 * response — is bounded by `timeoutMs`.
 */
export function send(target: string, headers: Record<string, string>, body: string, timeoutMs: number, allowPrivate: boolean): Promise<SendResult> {
  const started = Date.now();
  const url = new URL(target);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let done = false;
    const finish = (r: Omit<SendResult, 'latencyMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...r, latencyMs: Date.now() - started });
    };
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'user-agent': 'trade-in-api-webhooks/1' },
        lookup: safeLookup(allowPrivate),
        agent: false,
      },
      (res) => {
        let excerpt = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (excerpt.length < EXCERPT) excerpt += chunk.slice(0, EXCERPT - excerpt.length);
        });
        res.on('end', () => finish({ statusCode: res.statusCode ?? null, error: null, responseExcerpt: excerpt || null }));
        res.on('error', (e) => finish({ statusCode: res.statusCode ?? null, error: `response: ${e.message}`.slice(0, 500), responseExcerpt: excerpt || null }));
      },
    );
    const timer = setTimeout(() => {
      finish({ statusCode: null, error: `timed out after ${timeoutMs} ms`, responseExcerpt: null });
      req.destroy();
    }, timeoutMs);
    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        const address = socket.remoteAddress ?? '';
        if (!allowPrivate && isPrivateAddress(address)) {
          finish({ statusCode: null, error: `refused: connected address ${address} is private`, responseExcerpt: null });
          req.destroy();
        }
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) =>
      finish({ statusCode: null, error: (e.code === 'ETARGETREFUSED' ? `refused: ${e.message}` : `${e.code ?? 'error'}: ${e.message}`).slice(0, 500), responseExcerpt: null }),
    );
    req.end(body);
  });
}
