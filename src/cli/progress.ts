/**
 * Progress lines on stderr, only once a run has taken longer than a threshold: a quick run prints nothing, a slow
 * one says what it is doing. The work is synchronous, so a line is written when a step starts.
 */
export class Progress {
  private readonly startMs: number;
  /** Whether a step was reported: then the end is reported too. */
  private shown = false;

  /**
   * @param write where the lines go (stderr)
   * @param thresholdMs how long a run goes before it reports (2000; 0 reports every step)
   * @param now the clock, in milliseconds
   */
  constructor(
    private readonly write: (text: string) => void,
    private readonly thresholdMs: number,
    private readonly now: () => number,
  ) {
    this.startMs = now();
  }

  /** Reports a step that is starting, e.g. `simulating 3/5 configs (standard)`, once the threshold has passed. */
  public step(message: string): void {
    const elapsed = this.now() - this.startMs;
    if (elapsed < this.thresholdMs) return;
    this.shown = true;
    this.write(`${message} ... (${(elapsed / 1000).toFixed(1)} s)\n`);
  }

  /** Reports the end of a run that took longer than the threshold, so a slow run ends with a line saying it is done. */
  public done(message: string): void {
    const elapsed = this.now() - this.startMs;
    if (!this.shown && elapsed < this.thresholdMs) return;
    this.write(`${message} (${(elapsed / 1000).toFixed(1)} s)\n`);
  }
}
