import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Attachment bytes on disk under DATA_DIR/attachments/YYYY/MM/<id>: written to `<key>.part`,
 * fsynced, then renamed, so a file under its key is always whole. Never served statically: the
 * download route streams it after the permission check, with download headers.
 */

const KEY = /^\d{4}\/\d{2}\/[0-9a-f-]{36}$/;
const HEAD_BYTES = 4096;

export interface WrittenFile {
  sizeBytes: number;
  sha256: string;
  /** The first bytes (for type sniffing). */
  head: Uint8Array;
  /** True when the source was longer than the limit: nothing is kept. */
  tooLarge: boolean;
}

export function createAttachmentFiles(dataDir: string) {
  const root = join(dataDir, 'attachments');

  function pathOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`bad attachment key ${key}`);
    return join(root, key);
  }

  function keyFor(id: string, at: number): string {
    const d = new Date(at);
    return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${id}`;
  }

  async function fsyncAndRename(key: string): Promise<void> {
    const path = pathOf(key);
    const fh = await open(`${path}.part`, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(`${path}.part`, path);
  }

  /** Streams `source` to the key's file; over `maxBytes` nothing is kept and `tooLarge` is set. */
  async function write(key: string, source: Readable, maxBytes: number): Promise<WrittenFile> {
    const path = pathOf(key);
    await mkdir(join(path, '..'), { recursive: true });
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headLen = 0;
    let size = 0;
    let tooLarge = false;
    const out = createWriteStream(`${path}.part`, { flags: 'wx' });
    try {
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Buffer>) {
          for await (const chunk of chunks) {
            size += chunk.length;
            if (size > maxBytes) {
              // Keep draining the source (a multipart body must be read to its end), keep nothing.
              tooLarge = true;
              continue;
            }
            hash.update(chunk);
            if (headLen < HEAD_BYTES) {
              head.push(chunk.subarray(0, HEAD_BYTES - headLen));
              headLen += Math.min(chunk.length, HEAD_BYTES - headLen);
            }
            yield chunk;
          }
        },
        out,
      );
    } catch (err) {
      await rm(`${path}.part`, { force: true });
      throw err;
    }
    if (tooLarge) {
      await rm(`${path}.part`, { force: true });
    } else {
      await fsyncAndRename(key);
    }
    return { sizeBytes: size, sha256: hash.digest('hex'), head: Buffer.concat(head), tooLarge };
  }

  async function writeBuffer(key: string, content: Buffer): Promise<void> {
    const path = pathOf(key);
    await mkdir(join(path, '..'), { recursive: true });
    const fh = await open(`${path}.part`, 'wx');
    try {
      await fh.writeFile(content);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(`${path}.part`, path);
  }

  /** Deletes a file and any partial write of it. */
  async function remove(key: string): Promise<void> {
    const path = pathOf(key);
    await rm(path, { force: true });
    await rm(`${path}.part`, { force: true });
  }

  function read(key: string): ReadStream {
    return createReadStream(pathOf(key));
  }

  return { keyFor, write, writeBuffer, remove, read, pathOf };
}

export type AttachmentFiles = ReturnType<typeof createAttachmentFiles>;

/** SHA-256 of a buffer, hex. */
export function sha256Hex(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
