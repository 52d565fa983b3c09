import http from "node:http";

export interface RawRequest {
  method: string;
  /** Sent as is: percent-encode anything outside printable ASCII first (Node refuses the rest). */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked?: boolean;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * One HTTP request with full control over the path and the body bytes (fetch would normalise `..` away and only sends
 * well-formed text). Keep-alive, so thousands of requests do not each open a connection.
 */
export function rawClient(base: string) {
  const { hostname, port } = new URL(base);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  function send(req: RawRequest): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body && !req.chunked) headers["content-length"] = req.body.length;
      // Said explicitly: Node frames a DELETE body as chunked only when told to.
      if (req.body && req.chunked) headers["transfer-encoding"] = "chunked";
      const r = http.request(
        { host: hostname, port: Number(port), method: req.method, path: req.path, headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            settled = true;
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
          });
          res.on("error", (err) => !settled && reject(err));
        },
      );
      // The server may answer (413, 401) and close before an oversized body is fully written: the answer is what counts.
      r.on("error", (err) => !settled && reject(err));
      if (req.body && req.chunked) {
        for (let i = 0; i < req.body.length; i += 16 * 1024) r.write(req.body.subarray(i, i + 16 * 1024));
        r.end();
      } else r.end(req.body);
    });
  }
  return { send, close: () => agent.destroy() };
}
export type RawClient = ReturnType<typeof rawClient>;
