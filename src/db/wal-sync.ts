import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** `fs.fsync`'s shape: injectable so tests can hold or fail the flush. */
export type FsyncFn = (fd: number, done: (err: NodeJS.ErrnoException | null) => void) => void;

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The fsync of a SQLite database's `-wal` file, off the main thread (libuv's thread pool), for
 * the group commit's batches (see `deferSync` in database.ts, where the pragma is switched).
 *
 * A batch commits with `synchronous=NORMAL`: its WAL frames are written to the file (the OS
 * holds them; a process crash loses nothing) but not flushed. Its callers are answered only
 * when an fsync of the -wal file begun after that commit has completed: the same guarantee as
 * `synchronous=FULL`, where SQLite would have flushed the same file on the main thread. One
 * fsync at a time; the commits made while one runs share the next (WAL frames are appended in
 * commit order and an fsync flushes every frame of the file written before it began).
 *
 * The fd is opened when the -wal file is first found (its directory flushed then); until then
 * `ready()` is false and batches commit with FULL. The file keeps its inode while this handle's
 * connection is open: a WAL
 * restart after a checkpoint rewrites it from the start, a `TRUNCATE` checkpoint shortens it;
 * SQLite deletes it only when the last connection closes, after `close()` here.
 *
 * A failed fsync fails every batch waiting for it and every later one of this handle: after a
 * failed flush the kernel may have dropped the frames it could not write, and a later fsync
 * that succeeds proves nothing about them (nor about the frames after them, whose checksums
 * chain from them). The process must be restarted; SQLite's recovery then decides.
 */
export class WalSync {
  private fd: number | undefined;
  private closed = false;
  private failure: Error | undefined;
  /** Commits made without fsync and not yet covered by one that has begun. */
  private waiting: Waiter[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly walFile: string,
    private readonly fsyncFn: FsyncFn = fsync,
  ) {}

  /**
   * Whether a commit may leave its fsync to `durable()`: the -wal file is open here (opened on
   * the first call that finds it; SQLite creates it when the connection first reads in WAL).
   */
  ready(): boolean {
    if (this.closed) return false;
    if (this.fd === undefined) this.open();
    return this.fd !== undefined;
  }

  private open(): void {
    let fd: number;
    try {
      fd = openSync(this.walFile, 'r');
    } catch {
      // Not there yet (or not readable): this batch commits with FULL; the next one tries again.
      return;
    }
    try {
      // SQLite flushes the directory of a -wal file it created at its first sync of it, which a
      // batch committed with NORMAL never makes: flush it once here, or a power loss could lose
      // the file's name with every frame flushed into it.
      const dir = openSync(dirname(this.walFile), 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    } catch {
      closeSync(fd);
      return;
    }
    this.fd = fd;
  }

  /**
   * For a commit just made without fsync: settles once the -wal file has been flushed after
   * it; rejects if that flush (or any earlier one of this handle) failed.
   */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.flushing) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const covered = this.waiting;
      this.waiting = [];
      const error = await this.fsyncOnce();
      if (error && !this.failure) this.failure = error;
      for (const w of covered) {
        if (this.failure) w.reject(this.failure);
        else w.resolve();
      }
    }
    this.flushing = undefined;
  }

  private fsyncOnce(): Promise<Error | undefined> {
    const fd = this.fd;
    if (fd === undefined) return Promise.resolve(new Error('the -wal file is not open'));
    return new Promise((resolve) => {
      this.fsyncFn(fd, (err) => resolve(err ?? undefined));
    });
  }

  /** Waits for the flushes under way, then closes the file (before SQLite may delete it). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
