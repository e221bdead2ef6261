// demo/progress.ts — progress of long steps on stderr, driven by the kernels' onProgress(fraction, message).
// On a terminal: one line redrawn in place (a bar, the percentage, the kernel's message, elapsed time),
// at most ~12 times a second, erased when the step ends so the final tables stay clean.
// Not on a terminal (CI logs, pipes): a plain line now and then — every 5 s at most — so a log of a long
// run shows it is alive without thousands of carriage returns in it.

export interface Progress {
  onProgress: (fraction: number, message: string) => void;
  /** End the step: erase the bar (terminal) — no output otherwise. */
  done(): void;
}

const BAR = 24;

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const start = performance.now();
  const tty = Boolean(stream.isTTY);
  let last = -Infinity;
  let drawn = false;
  const elapsed = (): string => `${((performance.now() - start) / 1000).toFixed(1)} s`;
  return {
    onProgress(fraction, message) {
      const now = performance.now();
      const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      if (tty) {
        if (now - last < 80 && f < 1) return;
        last = now;
        const filled = Math.round(f * BAR);
        const line = `  ${label} [${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${(100 * f).toFixed(0).padStart(3)}%  ${message}  ${elapsed()}`;
        const width = stream.columns > 20 ? stream.columns : 100; // 0 when the pty reports no size
        stream.write(`\r\x1b[2K${line.slice(0, width - 1)}`);
        drawn = true;
      } else {
        if (now - start < 5000 || now - last < 5000) return;
        last = now;
        stream.write(`  ${label}: ${(100 * f).toFixed(0)}%  ${message}  (${elapsed()})\n`);
      }
    },
    done() {
      if (tty && drawn) stream.write('\r\x1b[2K');
    },
  };
}
