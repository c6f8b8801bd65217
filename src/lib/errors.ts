import type { MessageKey } from './i18n.ts';

/**
 * The one error type. `status` is what the client gets; `userMessage` the text shown
 * (a message key for pages). Anything else thrown becomes a generic 500.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly userMessage: MessageKey | undefined;
  readonly headers: Record<string, string>;

  constructor(
    code: string,
    opts: { status?: number; userMessage?: MessageKey; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(code, { cause: opts.cause });
    this.code = code;
    this.status = opts.status ?? 400;
    this.userMessage = opts.userMessage;
    this.headers = opts.headers ?? {};
  }
}

export const notFound = () => new AppError('not_found', { status: 404, userMessage: 'error.notFound' });
