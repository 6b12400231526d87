import { existsSync } from "node:fs";
import { chromium } from "playwright-core";

// PDF from the report's standalone HTML through a headless Chromium that is already on the
// machine (Debian's `chromium` package): playwright-core downloads no browser.

const KNOWN_BROWSERS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

/** The configured browser if it exists, else the first one found in the usual places. */
export function findChromium(configured: string | null): string | null {
  if (configured) return existsSync(configured) ? configured : null;
  return KNOWN_BROWSERS.find((path) => existsSync(path)) ?? null;
}

/** Prints the page to A4 with its own print CSS; null when no browser is installed. */
export async function printPdf(
  html: string,
  executablePath: string | null,
): Promise<Uint8Array | null> {
  if (!executablePath) return null;
  // --no-sandbox: containers and CI runners rarely allow Chromium's user namespaces; the page is
  // our own HTML with user text escaped and nothing fetched from the network.
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: "load" });
    const pdf = await page.pdf({ format: "A4", printBackground: true, preferCSSPageSize: true });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}
