import { code128Modules, LabelContent, LabelRenderer, labelText, renderLabel } from './label.renderer';

const CONTENT: LabelContent = {
  key: '1:0',
  title: 'Trade-in shipping label',
  from: { name: 'Mari Tamm', line1: 'Narva mnt 5', line2: null, postcode: '10117', city: 'Tallinn', country: 'EE' },
  to: { name: 'Trade-in Centre', line1: 'Peterburi tee 2', line2: null, postcode: '11415', city: 'Tallinn', country: 'EE' },
  code: 'sub_12',
  reference: 'Tenant · shp_1',
  carrier: null,
  trackingNumber: null,
  date: new Date('2024-01-02T00:00:00Z'),
};

describe('labelText', () => {
  it('keeps what the standard fonts print (Latin-1 and the Windows-1252 extras)', () => {
    expect(labelText('Jõgeva Šiauliai Straße Œuvre €5 — “x”')).toBe('Jõgeva Šiauliai Straße Œuvre €5 — “x”');
  });

  it('drops accents the fonts cannot print, replaces the rest and turns control characters into spaces', () => {
    expect(labelText('Łódź Őrség')).toBe('?ódz Orség');
    expect(labelText('Москва 東京')).toBe('?????? ??');
    expect(labelText('a\tb\nc')).toBe('a b c');
    expect(labelText(null)).toBe('');
  });
});

describe('code128Modules', () => {
  it('encodes start, data, checksum and stop: 11 modules a symbol, 13 for the stop, bar first', async () => {
    const modules = await code128Modules('sub_12');
    // Code set B for the letters, then C for the digit pair "12": start B, s, u, b, _, Code C, 12, checksum, stop.
    expect(modules.reduce((a, b) => a + b, 0)).toBe(8 * 11 + 13);
    expect(modules.length % 2).toBe(1);
    expect(modules.every((w) => w >= 1 && w <= 4)).toBe(true);
  });
});

describe('renderLabel', () => {
  it('writes one deterministic PDF for the same content', async () => {
    const a = await renderLabel(CONTENT);
    const b = await renderLabel(CONTENT);
    expect(a.subarray(0, 5).toString()).toBe('%PDF-');
    expect(a.equals(b)).toBe(true);
  });

  it('serves an unchanged label from the cache and renders a new version', async () => {
    const renderer = new LabelRenderer();
    const first = await renderer.render(CONTENT);
    expect(await renderer.render(CONTENT)).toBe(first);
    expect(await renderer.render({ ...CONTENT, key: '1:1', trackingNumber: 'JD1' })).not.toBe(first);
  });
});
