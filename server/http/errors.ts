import type { ErrorRequestHandler, Response } from 'express';
import { type ErrorCode, fail } from '../../protocol/ack.ts';
import { DeskError } from '../domain/desk-error.ts';

/** The HTTP status for each refusal the desk may answer a call with. */
const DESK_ERROR_STATUS: Partial<Record<ErrorCode, number>> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  ended: 409,
};

/** Answers a refusal of the desk with its status and code; anything else is ours: rethrown. */
export function sendDeskError(res: Response, error: unknown): void {
  if (!(error instanceof DeskError)) throw error;
  sendError(res, DESK_ERROR_STATUS[error.code] ?? 400, error.code, error.message);
}

/** REST errors use the same shape as socket acks: `{ok: false, error: {code, message}}`. */
export function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json(fail(code, message));
}

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Turns body-parser failures into clear 4xx answers; anything else is ours, so it is logged. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const { type, status } = (error ?? {}) as BodyParserError;
  if (type === 'entity.too.large') {
    sendError(res, 413, 'too_long', 'request body is too large');
  } else if (type === 'entity.parse.failed') {
    sendError(res, 400, 'invalid_payload', 'request body is not valid JSON');
  } else if (status && status >= 400 && status < 500) {
    sendError(res, status, 'invalid_payload', 'bad request');
  } else {
    console.error(`${req.method} ${req.path} failed`, error);
    sendError(res, 500, 'internal', 'something went wrong on our side');
  }
};
