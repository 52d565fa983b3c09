import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

/** Shared by the browser tests and the screenshot script: build the dashboard if stale, drive the system Chromium. */

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..");
export const WEB_ROOT = join(REPO, "dist/web");
export const CHROMIUM_PATH = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** Builds dist/web when index.html is missing or older than anything under web/ or src/contracts/. */
export function ensureWebBuilt(): void {
  const index = join(WEB_ROOT, "index.html");
  const sources = Math.max(newestMtime(join(REPO, "web")), newestMtime(join(REPO, "src/contracts")));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execSync("npx vite build --config web/vite.config.ts", { cwd: REPO, stdio: "pipe" });
}

/** Why browser tests cannot run here, or null when they can. */
export function browserUnavailableReason(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `no Chromium at ${CHROMIUM_PATH} (install it, or set REQUIRE_BROWSER=1 to make this a failure)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Everything the page logs as an error, and uncaught exceptions: a test asserts this stays empty. */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}

export async function newPage(
  browser: Browser,
  opts: { width?: number; height?: number } = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 },
    locale: "en-US",
    timezoneId: "UTC",
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page, errors: collectConsoleErrors(page) };
}

/** Signs in through the form and waits for the signed-in frame. */
export async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
}

/** Follows a link of the main navigation. */
export async function goTo(page: Page, section: string): Promise<void> {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: section, exact: true }).click();
  await page.getByRole("heading", { name: section, level: 1 }).waitFor();
}

export const PASSWORD = "correct-horse-battery-staple";
