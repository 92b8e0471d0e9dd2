import Mustache from 'mustache';
import { ValidationFailed, violation, Violation } from '../../common/errors';

/**
 * The customer e-mails and their default texts. Templates are Mustache (logic-less: names,
 * sections, no code), rendered as plain text: `{{name}}` inserts the value as it is (a text mail
 * has no markup to escape), and a missing name renders as nothing. A tenant may override the
 * subject and body of each kind (program_notification_templates).
 */
// No cache of parsed templates: tenants' texts would fill it without bound, and a mail's template is parsed in microseconds.
Mustache.templateCache = undefined;

export const NOTIFICATION_KINDS = [
  'offer.created',
  'offer.accepted',
  'offer.revised',
  'submission.kit_ordered',
  'submission.shipped',
  'submission.received',
  'submission.inspected',
  'submission.credit_issued',
  'password.reset',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface TemplateText {
  subject: string;
  body: string;
}

const SIGNATURE = '\n\n{{tenant.name}}';
const ITEM = '{{#submission.make}}{{submission.make}} {{submission.model}}{{/submission.make}}{{^submission.make}}your item{{/submission.make}}';

export const DEFAULT_TEMPLATES: Record<NotificationKind, TemplateText> = {
  'offer.created': {
    subject: 'Your trade-in offer: {{offer.amount_text}}',
    body: `Hello {{customer.first_name}},\n\nwe offer {{offer.amount_text}} for submission {{offer.submission_id}}.{{#offer.expires_text}}\nThe offer is valid until {{offer.expires_text}}.{{/offer.expires_text}}\n\nAccept or decline it in your account.${SIGNATURE}`,
  },
  'offer.accepted': {
    subject: 'Offer accepted: {{offer.amount_text}} for {{offer.submission_id}}',
    body: `Hello {{customer.first_name}},\n\nthank you: you accepted our offer of {{offer.amount_text}} for submission {{offer.submission_id}}.\n\nYour return label: {{label_url}}\nPrint it and attach it to the parcel.${SIGNATURE}`,
  },
  'offer.revised': {
    subject: 'Your revised offer: {{offer.amount_text}}',
    body: `Hello {{customer.first_name}},\n\nafter inspection we offer {{offer.amount_text}} for submission {{offer.submission_id}}.{{#offer.notes}}\n{{offer.notes}}{{/offer.notes}}\n\nAccept or decline it in your account.${SIGNATURE}`,
  },
  'submission.kit_ordered': {
    subject: 'Your shipping kit is on its way ({{submission.id}})',
    body: `Hello {{customer.first_name}},\n\nwe ordered a shipping kit for ${ITEM} (submission {{submission.id}}).{{#submission.tracking_number}}\nTracking: {{submission.carrier}} {{submission.tracking_number}}{{/submission.tracking_number}}\n\nYour return label: {{label_url}}${SIGNATURE}`,
  },
  'submission.shipped': {
    subject: 'Shipped: {{submission.id}}',
    body: `Hello {{customer.first_name}},\n\n${ITEM} (submission {{submission.id}}) is on its way to us.{{#submission.tracking_number}}\nTracking: {{submission.carrier}} {{submission.tracking_number}}{{/submission.tracking_number}}${SIGNATURE}`,
  },
  'submission.received': {
    subject: 'We received {{submission.id}}',
    body: `Hello {{customer.first_name}},\n\nwe received ${ITEM} (submission {{submission.id}}). We will inspect it and let you know the result.${SIGNATURE}`,
  },
  'submission.inspected': {
    subject: 'Inspection result for {{submission.id}}',
    body: `Hello {{customer.first_name}},\n\nwe inspected ${ITEM} (submission {{submission.id}}).\nGrade: {{submission.inspected_grade}}\nFinal value: {{submission.final_value_text}}{{#submission.inspection_notes}}\nNotes: {{submission.inspection_notes}}{{/submission.inspection_notes}}${SIGNATURE}`,
  },
  'submission.credit_issued': {
    subject: 'Your credit of {{submission.credit_amount_text}} was issued',
    body: `Hello {{customer.first_name}},\n\nwe issued {{submission.credit_amount_text}} ({{submission.credit_type}}) for submission {{submission.id}}.{{#submission.credit_reference}}\nReference: {{submission.credit_reference}}{{/submission.credit_reference}}\n\nThank you for trading in.${SIGNATURE}`,
  },
  'password.reset': {
    subject: 'Reset your password',
    body: `Hello,\n\nsomeone asked to reset the password of {{email}}. If it was you, {{#reset_url}}open {{reset_url}}{{/reset_url}}{{^reset_url}}use this code{{/reset_url}} within {{valid_minutes}} minutes:\n\n{{token}}\n\nIf it was not you, ignore this e-mail: your password stays as it is.${SIGNATURE}`,
  },
};

export const isNotificationKind = (kind: string): kind is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(kind);

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? '';
}

/** Renders a template as plain text; the subject on one line (no header injection through a value). */
export function renderTemplate(t: TemplateText, vars: Record<string, unknown>): TemplateText {
  const opts = { escape: asText };
  const subject = Mustache.render(t.subject, vars, {}, opts)
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, 250);
  return { subject, body: Mustache.render(t.body, vars, {}, opts) };
}

/** A template a programme admin sends: it must parse (422 naming the field and the fault otherwise); partials are not allowed. */
export function checkTemplate(t: TemplateText): void {
  const violations: Violation[] = [];
  for (const field of ['subject', 'body'] as const) {
    try {
      const tokens = Mustache.parse(t[field]);
      if (hasPartial(tokens)) violations.push(violation(field, `${field} uses a partial ({{> …}}), which templates do not support`, 'invalid'));
    } catch (e) {
      violations.push(violation(field, `${field} is not a valid template: ${e instanceof Error ? e.message : 'parse error'}`, 'invalid_format'));
    }
  }
  if (violations.length) throw new ValidationFailed(violations);
}

function hasPartial(tokens: unknown[]): boolean {
  return tokens.some((t) => Array.isArray(t) && (t[0] === '>' || (Array.isArray(t[4]) && hasPartial(t[4] as unknown[]))));
}
