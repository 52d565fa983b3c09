/** A text progress bar: `[#########...........]  45%`. */
export function progressBar(done: number, total: number, width = 24): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%`;
}

/** Rewrites one status line on a terminal; elsewhere (a log, a pipe) prints every `everyMs` only, one line each. */
export function statusLine(everyMs = 5000) {
  const tty = process.stdout.isTTY;
  let lastPrinted = 0;
  return {
    update(text: string, force = false) {
      if (tty) process.stdout.write(`\r\x1b[2K${text}`);
      else if (force || Date.now() - lastPrinted >= everyMs) {
        lastPrinted = Date.now();
        console.log(text);
      }
    },
    done(text: string) {
      if (tty) process.stdout.write(`\r\x1b[2K${text}\n`);
      else console.log(text);
    },
  };
}
