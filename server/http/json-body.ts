import express from 'express';
import { LIMITS } from '../../protocol/limits.ts';

/** JSON bodies up to the REST limit; anything larger is a 413 from the error handler. */
export const jsonBody = express.json({ limit: LIMITS.restBodyBytes });
