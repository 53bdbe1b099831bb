import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalMediaStore } from './local-media.store';

describe('LocalMediaStore', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'store-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stores a file with its size, SHA-256 and type, reads it back and removes it', async () => {
    const store = new LocalMediaStore(root);
    const bytes = Buffer.from('not really a png');
    const stored = await store.put('user/job-0-run.png', bytes, 'image/png');
    expect(stored).toEqual({ key: 'user/job-0-run.png', size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), contentType: 'image/png' });
    expect(readFileSync(join(root, 'user/job-0-run.png'))).toEqual(bytes);
    expect(await store.read('user/job-0-run.png')).toEqual(bytes);
    // The user's folder exists now: a second file goes straight in.
    await store.put('user/job-1-run.png', Buffer.from('another'), 'image/png');
    expect(readdirSync(join(root, 'user')).sort()).toEqual(['job-0-run.png', 'job-1-run.png']);
    await store.remove('user/job-0-run.png');
    expect(await store.read('user/job-0-run.png')).toBeNull();
  });

  it('never overwrites a key already written', async () => {
    const store = new LocalMediaStore(root);
    await store.put('user/job-0-run.png', Buffer.from('first'), 'image/png');
    await expect(store.put('user/job-0-run.png', Buffer.from('second'), 'image/png')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await store.read('user/job-0-run.png')).toEqual(Buffer.from('first'));
  });

  it('refuses keys that reach outside its directory', async () => {
    const store = new LocalMediaStore(root);
    await expect(store.put('../escape.png', Buffer.from('x'), 'image/png')).rejects.toThrow(/outside the store/);
    await expect(store.read('a/../../../etc/passwd')).rejects.toThrow(/outside the store/);
  });
});
