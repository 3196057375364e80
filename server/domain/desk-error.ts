import type { AckError, ErrorCode } from '../../protocol/ack.ts';

/** An error a client caused and should be told about, with the code the ack carries. */
export class DeskError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }

  toAckError(): AckError {
    return { code: this.code, message: this.message };
  }
}
