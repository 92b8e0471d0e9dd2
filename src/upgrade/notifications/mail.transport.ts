import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** The same for every attempt of one notification, so a receiver can tell a repeat. */
  messageId: string;
}

/** Where customer e-mail goes: an SMTP server (SMTP_URL) or, by default, .eml files under the data folder. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string; file?: string }>;
  close(): void;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** Each SMTP step is bounded, so a hung server costs a worker at most these times per message. */
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** nodemailer over SMTP: one connection per message (a worker sends a few at a time). */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport({ url, ...SMTP_TIMEOUTS });
  return {
    async send(mail) {
      const info = await transporter.sendMail(mail);
      return { messageId: String(info.messageId ?? mail.messageId) };
    },
    close: () => transporter.close(),
  };
}

/** nodemailer builds the whole message (its stream transport, buffered) and it is written as `<dir>/<time>-<message id>.eml`. */
export function fileTransport(dir: string): MailTransport {
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transporter.sendMail(mail);
      await mkdir(dir, { recursive: true });
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${mail.messageId.replace(/[^A-Za-z0-9._-]+/g, '_')}.eml`;
      const file = join(dir, name);
      await writeFile(file, info.message as Buffer);
      return { messageId: mail.messageId, file };
    },
    close: () => transporter.close(),
  };
}
