import { randomBytes } from 'node:crypto';

/* A multipart/form-data body as a browser sends it, for the forms that take files. */

export type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; type?: string };

export function multipartBody(parts: Part[]) {
  const boundary = `----portal${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('filename' in p) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/pdf'}\r\n\r\n`));
      chunks.push(p.content);
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}`));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A file of the form's `attachments` input. */
export const file = (filename: string, content: Buffer, type?: string): Part => ({ name: 'attachments', filename, content, ...(type ? { type } : {}) });
