import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { nowIso, systemClock } from '../clock.js';
const toNodemailer = (m) => ({
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
function onFirstSend(options) {
    let made;
    return {
        get: () => (made ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(options))),
        close: () => void made?.then((t) => t.close()),
    };
}
/** Any SMTP server, through nodemailer, over a small pool of kept-alive connections. */
export function smtpTransport(url) {
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
export function fileTransport(dir) {
    const t = onFirstSend({ streamTransport: true, buffer: true, newline: 'unix' });
    return {
        send: async (m) => {
            const info = await (await t.get()).sendMail(toNodemailer(m));
            await mkdir(dir, { recursive: true });
            const name = `${nowIso(systemClock).replace(/[:.]/g, '-')}-${m.id}.eml`;
            const tmp = join(dir, `.${name}.tmp`);
            await writeFile(tmp, info.message);
            await rename(tmp, join(dir, name));
        },
        close: t.close,
        describe: () => `files in ${dir}`,
    };
}
export function transportFromConfig(config) {
    return config.SMTP_URL ? smtpTransport(config.SMTP_URL) : fileTransport(join(config.DATA_DIR, 'mail'));
}
//# sourceMappingURL=transport.js.map