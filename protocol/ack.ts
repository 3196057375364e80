/** Every error a client can meet, by code. Messages are for people; codes are for programs. */
export type ErrorCode =
  | 'invalid_payload'
  | 'too_long'
  | 'not_found'
  | 'forbidden'
  | 'unauthorized'
  | 'rate_limited'
  | 'conflict'
  | 'ended'
  /** Join by code: another helper answers this conversation; ask before taking it over. */
  | 'takeover_needed'
  | 'internal';

/** What a UI needs to word some errors, e.g. who answers a conversation now. */
export interface ErrorContext {
  helperName?: string;
  visitorName?: string;
}

export interface AckError {
  code: ErrorCode;
  message: string;
  context?: ErrorContext;
}

/** The answer to every acknowledged event. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };

/** The callback a client passes as the last argument of an acknowledged event. */
export type AckCallback<T> = (answer: Ack<T>) => void;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string): { ok: false; error: AckError } {
  return { ok: false, error: { code, message } };
}
