// Progress on stderr for long runs. On a terminal: one line rewritten in place (at most every
// 100 ms). Otherwise (CI logs): a plain line every 500 files, and only for runs that large,
// so piped output of small runs stays clean.
import type { ErrStream } from './context.js';

const TTY_INTERVAL_MS = 100;
const LOG_EVERY = 500;

export class Progress {
  private lastDraw = 0;
  private drawn = false;
  private lastLogged = 0;
  private phase = '';

  constructor(
    private readonly stream: ErrStream,
    private readonly enabled: boolean,
    private readonly total: number,
  ) {}

  update(phase: string, done: number): void {
    if (!this.enabled || this.total === 0) return;
    if (this.stream.isTTY) {
      const now = Date.now();
      if (now - this.lastDraw < TTY_INTERVAL_MS && done < this.total) return;
      this.lastDraw = now;
      this.drawn = true;
      this.stream.write(`\r\u001b[K${phase} ${done}/${this.total} files`);
    } else if (this.total >= LOG_EVERY) {
      if (phase !== this.phase) [this.phase, this.lastLogged] = [phase, 0];
      if (done - this.lastLogged < LOG_EVERY && done < this.total) return;
      this.lastLogged = done;
      this.stream.write(`perf-insights: ${phase} ${done}/${this.total} files\n`);
    }
  }

  done(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}
