import type { AckError, ErrorCode, ErrorContext } from '../../protocol/ack.ts';

/** An error a client caused and should be told about, with the code the ack carries. */
export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext | undefined;

  constructor(code: ErrorCode, message: string, context?: ErrorContext) {
    super(message);
    this.code = code;
    this.context = context;
  }

  toAckError(): AckError {
    return {
      code: this.code,
      message: this.message,
      ...(this.context ? { context: this.context } : {}),
    };
  }
}
