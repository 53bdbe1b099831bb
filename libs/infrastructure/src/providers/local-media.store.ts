import { MediaStore, StoredFile } from '@sah/domain';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';

/**
 * Generated files on local disk under one directory. A key is written once (the media runner makes
 * one per file and run) and read only after the job naming it has ended, so files are written in
 * place, without a temporary name, and a key already taken is refused rather than overwritten.
 */
export class LocalMediaStore extends MediaStore {
  private readonly root: string;

  constructor(directory: string) {
    super();
    this.root = resolve(directory);
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<StoredFile> {
    const path = this.pathOf(key);
    // The folder is made only when missing (a user's first file): one file operation fewer per job.
    try {
      await writeFile(path, bytes, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes, { flag: 'wx' });
    }
    return { key, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), contentType };
  }

  async read(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  /** Keys are made by the hub (`<user id>/<job id>-<n>-<run>.<ext>`); anything reaching outside the root is refused. */
  private pathOf(key: string): string {
    const path = resolve(join(this.root, key));
    if (!path.startsWith(this.root + sep)) throw new Error(`media key outside the store: ${key}`);
    return path;
  }
}
