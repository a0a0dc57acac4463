// A progress line on stderr: redrawn in place on a terminal, one plain line per step otherwise
// (CI logs, pipes), so stdout keeps only the results.

/** Progress of a sequence of child-process jobs. */
export class Progress {
  /** Steps started so far. */
  private step = 0;
  /** Label of the running step. */
  private label = '';
  /** When the sequence started (ms, `performance.now()`). */
  private readonly started = performance.now();
  /** Whether stderr is a terminal (redraw) or not (plain lines). */
  private readonly tty: boolean;

  /**
   * Creates a progress display for `total` steps, titled `title`.
   *
   * @example
   * const progress = new Progress('workload 1', 40);
   */
  constructor(
    private readonly title: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.tty = stream.isTTY === true;
  }

  /** Starts the next step, labelled `label`. */
  next(label: string): void {
    this.step++;
    this.label = label;
    if (this.tty) this.draw('');
    else this.stream.write(`${this.title} [${this.step}/${this.total}] ${label}\n`);
  }

  /** Shows what the running step is doing (on a terminal only). */
  detail(text: string): void {
    if (this.tty) this.draw(text);
  }

  /** Ends the display with a summary line. */
  done(): void {
    const line = `${this.title}: ${this.total} runs in ${elapsed(performance.now() - this.started)}`;
    this.stream.write(this.tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
  }

  private draw(detail: string): void {
    const width = 24;
    const filled = Math.round((width * (this.step - 1)) / this.total);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const time = elapsed(performance.now() - this.started);
    const text = `${this.title} ${bar} ${this.step}/${this.total} ${time} ${this.label}${detail ? ` · ${detail}` : ''}`;
    const columns = this.stream.columns ?? 120;
    this.stream.write(`\r\x1b[2K${text.slice(0, columns - 1)}`);
  }
}

function elapsed(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
