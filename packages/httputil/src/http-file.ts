/**
 * An uploaded file from a multipart/form-data body. Tornado: httputil.HTTPFile.
 */
export class HTTPFile {
  constructor(
    /** The client's file name (RFC 2231 `filename*` decoded when given). */
    readonly filename: string,
    /** The file's bytes. */
    readonly body: Buffer,
    /** The part's Content-Type; `application/unknown` when the part has none. */
    readonly contentType: string,
  ) {}
}
