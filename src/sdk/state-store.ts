import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Jwk, SignedLicense } from "../contracts/types.js";

/** What a plugin keeps between runs: the keys it trusts and the last document it accepted. */
export interface PluginState {
  keys: Jwk[];
  license: SignedLicense | null;
  /** The client the site key belongs to, pinned from the first trusted document. */
  client_id: string | null;
  /** A short fingerprint of the site key the pins belong to: a new site key starts a new client pin. */
  site_key_fingerprint: string | null;
  /** The server refused the site key (401/403): free until a new trusted document arrives. */
  denied: boolean;
}

export interface StateStore {
  load(): Promise<PluginState | null>;
  save(state: PluginState): Promise<void>;
}

export class MemoryStateStore implements StateStore {
  private state: PluginState | null = null;
  async load() {
    return this.state ? structuredClone(this.state) : null;
  }
  async save(state: PluginState) {
    this.state = structuredClone(state);
  }
}

/** One JSON file in `dir`, replaced atomically (write, then rename) so a crash never leaves half a file. */
export class FileStateStore implements StateStore {
  private readonly file: string;
  constructor(private readonly dir: string) {
    this.file = join(dir, "license-state.json");
  }
  async load(): Promise<PluginState | null> {
    try {
      return JSON.parse(await readFile(this.file, "utf8")) as PluginState;
    } catch {
      return null; // missing or unreadable: start without a cache (every document in it is re-verified anyway)
    }
  }
  async save(state: PluginState): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(state, null, 2), { mode: 0o600 });
    await rename(tmp, this.file);
  }
}
