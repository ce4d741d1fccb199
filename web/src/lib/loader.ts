/** What a loader reports: the start of a run, then its data or its error (never both). */
export interface LoaderReport<T> {
  onStart(): void;
  onData(data: T): void;
  onError(err: unknown): void;
}

/** Runs a fetch again and again; only the latest run may report. */
export interface Loader {
  /** Starts a run (aborting the one before); settles when it is over, never rejects. */
  run(): Promise<void>;
  /** Aborts the current run; nothing reports afterwards. */
  dispose(): void;
}

/**
 * A loader for one set of inputs: a run that a newer run or `dispose` overtook is aborted
 * (its signal fires) and its answer, data or error, is dropped, so a slow stale response never
 * overwrites a fresh one.
 */
export function createLoader<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  report: LoaderReport<T>,
): Loader {
  let current: AbortController | null = null;
  let disposed = false;
  return {
    async run() {
      if (disposed) return;
      current?.abort();
      const mine = new AbortController();
      current = mine;
      report.onStart();
      let data: T;
      try {
        data = await fetcher(mine.signal);
      } catch (err) {
        if (current === mine && !disposed) {
          current = null;
          report.onError(err);
        }
        return;
      }
      if (current === mine && !disposed) {
        current = null;
        report.onData(data);
      }
    },
    dispose() {
      disposed = true;
      current?.abort();
      current = null;
    },
  };
}
