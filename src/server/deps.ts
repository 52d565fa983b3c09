import type { Signer } from "../core/signing.js";
import type { Db } from "../db/schema.js";

/** What routes need from the outside world; built once in app.ts. */
export interface Deps {
  db: Db;
  signer: Signer;
  secureCookies: boolean;
}
