import cliProgress from 'cli-progress';

export interface Progress {
  update: (done: number, total: number) => void;
  /** A line that must not be drawn over by the bar. */
  log: (line: string) => void;
  stop: () => void;
}

/** A progress bar on stderr when stderr is a terminal; otherwise silent (logs, pipes, CI). */
export function progressBar(unit: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) {
    return { update: () => {}, log: (line) => stream.write(`${line}\n`), stop: () => {} };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: `ingesting [{bar}] {value}/{total} ${unit}`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let stopped = false;
  return {
    update: (done, total) => {
      if (stopped) return;
      if (!started) bar.start(total, done);
      else bar.setTotal(total);
      started = true;
      bar.update(done);
    },
    log: (line) => {
      if (started && !stopped) stream.write('\n');
      stream.write(`${line}\n`);
    },
    stop: () => {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}
