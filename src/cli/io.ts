/** What a command gets to talk to the operator: its two output streams, so tests can capture them. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}
