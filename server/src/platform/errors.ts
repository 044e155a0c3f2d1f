/**
 * One error type for the whole platform. `kind` decides the HTTP status; `code` is a stable, dotted identifier
 * (`auth.invalid_credentials`) that the web UI translates through i18n; `details` names fields and rules.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'locked'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `body.password` or `rows[3].quantity`. */
  field: string;
  /** The rule that was broken, e.g. `min_length`, `required`, `unknown_field`. */
  rule: string;
  message: string;
  value?: unknown;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly details: unknown;

  constructor(kind: ErrorKind, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.kind = kind;
    this.code = code;
    this.details = details ?? null;
  }

  get status(): number {
    return STATUS[this.kind];
  }
}

export const notFound = (what: string, id?: string) =>
  new AppError('not_found', `${what}.not_found`, `${what} not found`, id === undefined ? undefined : { id });

export const forbidden = (code: string, message: string, details?: unknown) => new AppError('forbidden', code, message, details);

export const validationError = (code: string, message: string, issues: FieldIssue[]) =>
  new AppError('validation', code, message, { issues });
