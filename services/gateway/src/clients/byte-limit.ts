import { Transform, type TransformCallback } from 'node:stream';

/**
 * Passes a request body through while counting it, and fails as soon as it passes the
 * limit. Content-Length is checked before proxying; this catches chunked bodies (and
 * anything that lies about its length) without buffering them.
 */
export class ByteLimit extends Transform {
  private seen = 0;
  private over = false;

  constructor(private readonly limitBytes: number) {
    super();
  }

  /** True once the body went past the limit: the caller answers 413, not 502/503. */
  get exceeded(): boolean {
    return this.over;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limitBytes) {
      this.over = true;
      done(new Error(`request body exceeds ${this.limitBytes} bytes`));
      return;
    }
    done(null, chunk);
  }
}
