import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';
import { nowIso, systemClock } from '../clock.ts';

/** A message as the worker hands it to a transport. */
export interface OutgoingMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Record<string, string>;
}

export interface MailTransport {
  /** Resolves once the message is accepted (by the SMTP server, or written to disk). */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
  describe(): string;
}

const toNodemailer = (m: OutgoingMail) => ({
  from: m.from,
  to: m.to,
  subject: m.subject,
  text: m.text,
  html: m.html,
  messageId: m.messageId,
  headers: m.headers,
});

/**
 * nodemailer's transport of these options, made when the first message is sent: nodemailer
 * (some 15 MB) is loaded then, not at start — a process serving pages may send nothing.
 */
function onFirstSend(options: object) {
  let made: Promise<Transporter> | undefined;
  return {
    get: () => (made ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(options))),
    close: () => void made?.then((t) => t.close()),
  };
}

/** Any SMTP server, through nodemailer, over a small pool of kept-alive connections. */
export function smtpTransport(url: string): MailTransport {
  const t = onFirstSend({ url, pool: true, maxConnections: 2, maxMessages: 500 });
  return {
    send: async (m) => {
      await (await t.get()).sendMail(toNodemailer(m));
    },
    close: t.close,
    describe: () => `SMTP ${new URL(url).host}`,
  };
}

/** The embedded default: each message written as a `.eml` file (the same MIME an SMTP server would get). */
export function fileTransport(dir: string): MailTransport {
  const t = onFirstSend({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    send: async (m) => {
      const info = await (await t.get()).sendMail(toNodemailer(m));
      await mkdir(dir, { recursive: true });
      const name = `${nowIso(systemClock).replace(/[:.]/g, '-')}-${m.id}.eml`;
      const tmp = join(dir, `.${name}.tmp`);
      await writeFile(tmp, info.message as Buffer);
      await rename(tmp, join(dir, name));
    },
    close: t.close,
    describe: () => `files in ${dir}`,
  };
}

export function transportFromConfig(config: Config): MailTransport {
  return config.SMTP_URL ? smtpTransport(config.SMTP_URL) : fileTransport(join(config.DATA_DIR, 'mail'));
}
