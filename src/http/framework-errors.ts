import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { HttpSettings } from '../config/config.js'
import { AuthError } from '../core/errors.js'
import { sendProblem, toAuthError } from './problem.js'
import { applySecurityHeaders } from './security-headers.js'

/**
 * For Fastify's `frameworkErrors` option (the composition root sets it). A malformed URL
 * (`/%E0%A4%A`) or an over-long path parameter is refused before any route or plugin context
 * exists, and Fastify's default answer repeats the path back as plain JSON without our headers;
 * this answers the usual problem+json with the usual headers instead (SEC-INPUT-04, SEC-HDR-01).
 */
export function latchkeyFrameworkErrors(
  http: HttpSettings,
): NonNullable<FastifyServerOptions['frameworkErrors']> {
  return function answerFrameworkError(
    error: unknown,
    _request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    applySecurityHeaders(reply, http)
    void sendProblem(reply, toAuthError(error) ?? new AuthError('invalid_request'))
  }
}
