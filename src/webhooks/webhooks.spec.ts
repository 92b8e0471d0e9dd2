import { backoffMs, wants } from './delivery.worker';
import { generateSecret, openSecret, sealSecret } from './secrets';
import { isPrivateAddress } from './ssrf';
import { WebhookSubscription } from './webhook.entity';

describe('backoffMs', () => {
  it('doubles from the base with ±25 % jitter and stops growing at an hour', () => {
    expect(backoffMs(1, 1000, () => 0.5)).toBe(1000);
    expect(backoffMs(2, 1000, () => 0.5)).toBe(2000);
    expect(backoffMs(5, 1000, () => 0.5)).toBe(16000);
    expect(backoffMs(1, 1000, () => 0)).toBe(750);
    expect(backoffMs(1, 1000, () => 0.999999)).toBe(1250);
    expect(backoffMs(40, 1000, () => 0.5)).toBe(3600_000);
  });
});

describe('wants', () => {
  const sub = (eventTypes: string[]) => Object.assign(new WebhookSubscription(), { id: 4, tenantId: 1, eventTypes, createdAt: new Date('2024-01-01T00:00:00Z') });
  const at = new Date('2024-01-02T00:00:00Z');
  it('takes every type when none is listed, else the listed ones, of its own tenant only', () => {
    expect(wants(sub([]), { type: 'trade_in.created', subject: '/api/v3/trade-ins/1', tenantId: 1, createdAt: at })).toBe(true);
    expect(wants(sub(['offer.accepted']), { type: 'trade_in.created', subject: '/api/v3/trade-ins/1', tenantId: 1, createdAt: at })).toBe(false);
    expect(wants(sub(['offer.accepted']), { type: 'offer.accepted', subject: '/api/alpha/offers/off_1', tenantId: 1, createdAt: at })).toBe(true);
    expect(wants(sub([]), { type: 'trade_in.created', subject: '/api/v3/trade-ins/1', tenantId: 2, createdAt: at })).toBe(false);
  });
  it('sends a ping only to the webhook pinged, and nothing recorded before the subscription existed', () => {
    expect(wants(sub([]), { type: 'webhook.ping', subject: '/api/v3/webhooks/4', tenantId: 1, createdAt: at })).toBe(true);
    expect(wants(sub([]), { type: 'webhook.ping', subject: '/api/v3/webhooks/5', tenantId: 1, createdAt: at })).toBe(false);
    expect(wants(sub([]), { type: 'trade_in.created', subject: '/api/v3/trade-ins/1', tenantId: 1, createdAt: new Date('2023-12-31T00:00:00Z') })).toBe(false);
  });
});

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '10.0.0.8', '172.16.5.4', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', 'not-an-ip'])('refuses %s', (a) => {
    expect(isPrivateAddress(a)).toBe(true);
  });
  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows %s', (a) => {
    expect(isPrivateAddress(a)).toBe(false);
  });
});

describe('secrets', () => {
  it('are Standard Webhooks secrets, sealed with AES-256-GCM under a key and opened again; another key cannot open them', () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const sealed = sealSecret(secret, 'k1');
    expect(sealed).not.toContain(secret.slice(6));
    expect(openSecret(sealed, 'k1')).toBe(secret);
    expect(() => openSecret(sealed, 'k2')).toThrow();
    expect(() => openSecret(sealed, undefined)).toThrow(/WEBHOOK_SECRET_KEY/);
    expect(openSecret(sealSecret(secret, undefined), 'k1')).toBe(secret);
  });
});
