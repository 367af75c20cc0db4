import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromiumMissing, describeWithBrowser, launchBrowser, saveScreenshot, useBrowser, VIEWPORT } from "../src";

const PAGE = `<!DOCTYPE html><title>t</title><form method="post" action="/sent"><input name="word"><button>Send</button></form>`;

let server: Server;
let base: string;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.method === "POST") {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        received.push(body);
        response.end(`<!DOCTYPE html><h1>got ${new URLSearchParams(body).get("word")}</h1>`);
      });
      return;
    }
    if (request.url === "/throws") return response.end(`<!DOCTYPE html><script>throw new Error("boom")</script>`);
    response.setHeader("Content-Type", "text/html");
    response.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it("chromiumMissing names the path and the fix when the browser is absent", () => {
  expect(chromiumMissing("/nonexistent/chromium")).toBe(
    "/nonexistent/chromium is not installed (bash scripts/install-peers.sh, or set CHROMIUM_PATH)",
  );
});

describeWithBrowser("Chromium through playwright-core", () => {
  const browser = useBrowser();

  it("fills and submits a form on a loopback server", async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.fill("input[name=word]", "tornado");
    await Promise.all([page.waitForURL(`${base}/sent`), page.click("button")]);
    expect(await page.textContent("h1")).toBe("got tornado");
    expect(received).toContain("word=tornado");
    expect(browser.session.context.browser()?.version()).toMatch(/^[0-9]+\./);
  });

  it("saves a PNG of the viewport under <app>/test-output", async () => {
    const appDir = await mkdtemp(join(tmpdir(), "screenshot-app-"));
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/`);
      const [path] = await saveScreenshot(page, appDir, "form.png");
      expect(path).toBe(join(appDir, "test-output", "form.png"));
      const png = await readFile(path);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([VIEWPORT.width, VIEWPORT.height]);
    } finally {
      await rm(appDir, { recursive: true, force: true });
    }
  });
});

describeWithBrowser("launchBrowser", () => {
  it("records page errors and removes its profile when closed", async () => {
    const session = await launchBrowser();
    expect(existsSync(session.userDataDir)).toBe(true);
    try {
      const page = await session.newPage();
      await page.goto(`${base}/throws`);
      expect(session.errors).toEqual([`${base}/throws: boom`]);
    } finally {
      await session.close();
    }
    expect(existsSync(session.userDataDir)).toBe(false);
  }, 90_000);
});
