import { lookup as dnsLookup, LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Server-side request forgery guard: a webhook target must not reach into the server's own
 * network. Checked when a subscription is saved (its name resolved now) and again at every
 * connection, on the address the socket is opened to (safeLookup) — a name that resolves to a
 * public address at creation and to 127.0.0.1 later (DNS rebinding) is refused at delivery.
 */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}

/** Whether an address is private, loopback, link-local or otherwise not on the public internet (IPv4-mapped IPv6 included). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class TargetRefused extends Error {}

/** The addresses a host name resolves to (all of them), refused when any is private and private targets are not allowed. */
export async function checkTarget(url: URL, allowPrivate: boolean): Promise<void> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (err, found) => (err ? reject(new TargetRefused(`${host} does not resolve`)) : resolve(found.map((a) => a.address)))),
      );
  if (!allowPrivate && addresses.some(isPrivateAddress)) throw new TargetRefused(`${host} resolves to a private, loopback or link-local address`);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request: resolves like dns.lookup and refuses private addresses, so the socket connects only to a checked address. */
export function safeLookup(allowPrivate: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, found) => {
      if (err) return callback(err, []);
      const bad = found.find((a) => !allowPrivate && isPrivateAddress(a.address));
      if (bad) return callback(Object.assign(new TargetRefused(`${hostname} resolves to a private address (${bad.address})`), { code: 'ETARGETREFUSED' }), []);
      if (options.all) return callback(null, found);
      callback(null, found[0].address, found[0].family);
    });
  };
}
