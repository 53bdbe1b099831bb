/** What the store recorded about a file it saved. */
export interface StoredFile {
  key: string;
  size: number;
  sha256: string;
  contentType: string;
}

/** Where generated files live (local disk by default). Keys are opaque; owners are checked above. */
export abstract class MediaStore {
  abstract put(key: string, bytes: Buffer, contentType: string): Promise<StoredFile>;
  abstract read(key: string): Promise<Buffer | null>;
  abstract remove(key: string): Promise<void>;
}
