import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_S3_ACCESS_KEY = 'AKIAFAKEMEDIA';
export const FAKE_S3_SECRET = 'fake-media-secret';

/**
 * An S3-compatible object store on 127.0.0.1, path-style (`/bucket/key`), in S3's wire format:
 * PutObject (plain or aws-chunked bodies), GetObject (404 `NoSuchKey` XML), DeleteObject (204).
 * Requests must carry a SigV4 Authorization for the fake's access key (the signature is not checked).
 */
export class FakeMediaS3 {
  readonly objects = new Map<string, { body: Buffer; contentType: string }>();
  private server?: Server;
  url = '';

  constructor(readonly bucket = 'media-bucket') {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  env(): Record<string, string> {
    return {
      MEDIA_S3_BUCKET: this.bucket,
      MEDIA_S3_ENDPOINT: this.url,
      MEDIA_S3_REGION: 'eu-west-1',
      MEDIA_S3_ACCESS_KEY_ID: FAKE_S3_ACCESS_KEY,
      MEDIA_S3_SECRET_ACCESS_KEY: FAKE_S3_SECRET,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (!String(req.headers.authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${FAKE_S3_ACCESS_KEY}/`)) {
      return xmlError(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    }
    const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
    const prefix = `/${this.bucket}/`;
    if (!path.startsWith(prefix)) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist');
    const key = path.slice(prefix.length);
    if (req.method === 'PUT') {
      const chunked = String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-') || String(req.headers['content-encoding'] ?? '').includes('aws-chunked');
      this.objects.set(key, { body: chunked ? decodeAwsChunked(body) : body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream') });
      res.writeHead(200, { etag: '"fake"', 'x-amz-request-id': 'FAKE' });
      return void res.end();
    }
    if (req.method === 'GET') {
      const object = this.objects.get(key);
      if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
      res.writeHead(200, { 'content-type': object.contentType, 'content-length': String(object.body.length), etag: '"fake"' });
      return void res.end(object.body);
    }
    if (req.method === 'DELETE') {
      this.objects.delete(key);
      res.writeHead(204);
      return void res.end();
    }
    xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** `<hex size>[;chunk-signature=…]\r\n<data>\r\n … 0\r\n<trailers>\r\n\r\n` → the data. */
function decodeAwsChunked(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(body.subarray(offset, lineEnd).toString('latin1').split(';')[0] ?? '0', 16);
    if (!size) break;
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function xmlError(res: ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>FAKE</RequestId></Error>`);
}
