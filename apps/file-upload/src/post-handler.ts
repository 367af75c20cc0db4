/**
 * `POST /post`: a multipart/form-data body, buffered and parsed by the framework
 * (`request.files`), answered with each file's name, size and content type: an HTML page for
 * a browser's form, JSON for a program. Tornado's demo: POSTHandler (which logs them and
 * answers "OK"). Nothing is stored; the body limit is the server's `maxBodySize`.
 */

import { appLog, RequestHandler } from "@tornado/tornado";

export interface ReceivedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

export class POSTHandler extends RequestHandler {
  async post(): Promise<void> {
    const files: ReceivedFile[] = [];
    for (const [field, parts] of Object.entries(this.request.files)) {
      for (const part of parts) {
        files.push({ field, filename: part.filename, contentType: part.contentType, size: part.body.length });
        appLog.info(`POST ${JSON.stringify(part.filename)} ${JSON.stringify(part.contentType)} ${part.body.length} bytes`);
      }
    }
    if (/\btext\/html\b/.test(this.request.headers.get("Accept") ?? "")) {
      await this.render("received.html", { files });
    } else {
      this.write({ files });
    }
  }
}
