/** Where the command reads and writes; each defaults to the process's own. */
export interface CliContext {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  /** The directory relative paths are read from. */
  readonly cwd?: string;
  /** The clock, in milliseconds. */
  readonly now?: () => number;
  /** How long a run goes before it reports progress on stderr. */
  readonly progressAfterMs?: number;
}
