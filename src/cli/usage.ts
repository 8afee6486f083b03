export const USAGE = `Usage: latchkey <command> [options]

Commands:
  serve [--workers N]                   start the HTTP server (PORT, HOST, ... from the environment);
                                        --workers runs N processes (node:cluster) on one port
  migrate [up|down|status]              apply (default), roll back one, or list schema migrations
  user create --email E --password P [--role user|admin] [--username U] [--name N]
                                        create an account; the password may instead come from
                                        LATCHKEY_PASSWORD or, with --password-stdin, standard input
  user list                             list every account
  user set-role EMAIL|ID ROLE           make an account user or admin
  users import FILE                     import JSON lines (email, password or password_hash,
                                        username, name, role, email_verified, profile); - reads stdin
  users import --bulk FILE [--batch-size N]
                                        fast path for large exports: password_hash lines only,
                                        multi-row inserts of N rows (default 1000) per transaction
  keys rotate                           add a signing key: it signs from the next key reload (≤ 1 min),
                                        older keys keep verifying and stay in the JWKS
  keys list                             list signing keys, newest (the signing one) first
  audit verify                          check the audit log's hash chain; exit 1 on an edited or
                                        missing event
  db copy --to URL [--force] [--batch-size N]
                                        copy every row from DATABASE_URL to another database
                                        (migrated first; a non-empty one only with --force), then
                                        compare the row counts of every table
  otp SECRET                            print the current TOTP code of a base32 secret (a dev aid)

Configuration is read from the environment and .env; see docs/configuration.md.
Exit status: 0 success, 1 failure, 2 usage error.`

/** A command line we cannot act on: printed with the usage text, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
