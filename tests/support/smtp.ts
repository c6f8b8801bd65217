import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: ParsedMail['headers'];
  raw: string;
}

/**
 * A real SMTP server on a free local port that keeps what it receives. `refuse(true)` makes it
 * answer every message with a temporary failure (451), as a server in trouble does.
 */
export async function startSmtpServer() {
  const received: ReceivedMail[] = [];
  let refusing = false;
  let delayMs = 0;
  let arrived = 0;
  let onArrival: ((count: number) => void | Promise<void>) | null = null;
  const closed = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    // Clients with pooled connections stay connected: do not wait for them on close.
    closeTimeout: 100,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onClose(session) {
      closed.add(session.id);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (refusing) return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        await onArrival?.(++arrived);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        // Like a real MTA, take responsibility only if the client is still there for the 250.
        if (closed.has(session.id)) return callback(new Error('client gone'));
        const raw = Buffer.concat(chunks).toString('utf8');
        const parsed = await simpleParser(raw);
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject ?? '',
          text: parsed.text ?? '',
          html: typeof parsed.html === 'string' ? parsed.html : '',
          messageId: parsed.messageId ?? '',
          headers: parsed.headers,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuse(on: boolean) {
      refusing = on;
    },
    /** Holds each message this long before accepting it (to catch a worker mid-batch). */
    delay(ms: number) {
      delayMs = ms;
    },
    /** Called as each message arrives, before it is accepted. */
    onArrival(fn: ((count: number) => void | Promise<void>) | null) {
      onArrival = fn;
    },
    to(address: string) {
      return received.filter((m) => m.to.includes(address));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type SmtpServer = Awaited<ReturnType<typeof startSmtpServer>>;
