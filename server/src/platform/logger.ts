import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs (pino). Secrets are redacted at the source, whatever the caller logs. */
export function createLogger(level: string, pretty = false): Logger {
  return pino({
    level,
    base: { service: 'zhengyun' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'password',
        '*.password',
        'newPassword',
        '*.newPassword',
        'token',
        '*.token',
      ],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true } } } : {}),
  });
}
