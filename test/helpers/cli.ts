import { runCLI } from '../../src/cli/main.ts'

export interface CLIResult {
  readonly code: number
  readonly out: string
  readonly err: string
}

/** Runs `latchkey <args>` in this process with exactly `env`, collecting what it prints. */
export async function runLatchkey(args: string[], env: Record<string, string>): Promise<CLIResult> {
  let out = ''
  let err = ''
  const code = await runCLI(args, {
    env,
    output: { out: (line) => (out += `${line}\n`), err: (line) => (err += `${line}\n`) },
  })
  return { code, out, err }
}
