import { ValidationFailed } from '../../common/errors';
import { amountText, eventVars, mailBackoffMs, timeText } from './notifications.worker';
import { checkTemplate, DEFAULT_TEMPLATES, NOTIFICATION_KINDS, renderTemplate } from './templates';

describe('customer e-mail templates', () => {
  it('render values as they are (plain text), missing ones as nothing, and keep the subject on one line', () => {
    const out = renderTemplate({ subject: 'Hi {{name}}\r\nBcc: x@evil.example', body: '{{name}} <b>&{{missing}}' }, { name: 'Mari & <Jüri>' });
    expect(out.subject).toBe('Hi Mari & <Jüri> Bcc: x@evil.example');
    expect(out.body).toBe('Mari & <Jüri> <b>&');
  });

  it('refuse a template that does not parse or uses a partial, naming the field', () => {
    expect(() => checkTemplate({ subject: '{{#a}}', body: 'ok' })).toThrow(ValidationFailed);
    try {
      checkTemplate({ subject: 'ok', body: 'x {{> other}}' });
      throw new Error('accepted');
    } catch (e) {
      const violations = (e as ValidationFailed).violations ?? [];
      expect(violations.map((v) => v.propertyPath)).toEqual(['body']);
      expect(violations[0].message).toMatch(/partial/);
    }
    for (const kind of NOTIFICATION_KINDS) expect(() => checkTemplate(DEFAULT_TEMPLATES[kind])).not.toThrow();
  });

  it('show amounts with two exact decimals and times in UTC to the minute', () => {
    expect(amountText(320)).toBe('320.00');
    expect(amountText(262.5)).toBe('262.50');
    expect(amountText(0.1 + 0.2)).toBe('0.30');
    expect(amountText(null)).toBeNull();
    expect(timeText('2024-02-01T10:00:00.000+00:00')).toBe('2024-02-01 10:00 UTC');
    expect(timeText(null)).toBeNull();
  });

  it('give templates the offer or submission without the staff-only quote, and the label URL', () => {
    const vars = eventVars(
      { type: 'offer.accepted', eventId: 'evt_1', payload: { offer: { id: 'off_1', submission_id: 'sub_7', amount: 320, quoted_value: 400 } } },
      { name: 'Alpha', slug: 'alpha' },
      { email: 'mari@example.com', firstName: 'Mari', lastName: null },
      'https://api.example',
    );
    expect(vars).toMatchObject({
      offer: { amount_text: '320.00', submission_id: 'sub_7' },
      label_url: 'https://api.example/api/alpha/submissions/sub_7/label',
      customer: { first_name: 'Mari', last_name: '' },
    });
    expect(JSON.stringify(vars)).not.toContain('quoted_value');
  });

  it('back off exponentially with jitter, capped at an hour', () => {
    expect(mailBackoffMs(1, 1000, () => 0.5)).toBe(1000);
    expect(mailBackoffMs(3, 1000, () => 0.5)).toBe(4000);
    expect(mailBackoffMs(40, 1000, () => 1)).toBe(3600_000 * 1.25);
  });
});
