import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describeWithBrowser, saveScreenshot, useBrowser } from "@tornado-apps/browser-testing";
import { useReceiver } from "./helpers";

const APP_DIR = join(__dirname, "..");

describeWithBrowser("uploading from Chromium", () => {
  const receiver = useReceiver();
  const browser = useBrowser();

  it("sends files with the multipart form and sees them listed", async () => {
    const page = await browser.newPage();
    await page.goto(`${receiver.url}/`);
    await page.setInputFiles("#post-form input[name=file]", [
      { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello from the browser\n") },
      { name: "<b>bold</b>.png", mimeType: "image/png", buffer: randomBytes(4096) },
    ]);
    await Promise.all([page.waitForURL(`${receiver.url}/post`), page.click("#post-form button")]);
    const rows = await page.$$eval("#received tr", (trs) => trs.slice(1).map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(rows).toEqual([
      ["file", "notes.txt", "text/plain", "23"],
      ["file", "<b>bold</b>.png", "image/png", "4096"],
    ]);
  });

  it("streams a file with PUT from the page, stores it, and lists it", async () => {
    const content = randomBytes(300_000);
    const page = await browser.newPage();
    await page.goto(`${receiver.url}/`);
    await page.setInputFiles("#put-form input[name=file]", { name: "photo.jpg", mimeType: "image/jpeg", buffer: content });
    await Promise.all([page.waitForEvent("load"), page.click("#put-form button")]);
    expect(await page.$$eval("#stored tr td:first-child", (tds) => tds.map((td) => td.textContent))).toEqual(["photo.jpg"]);
    expect(await page.textContent("#stored tr td.number")).toBe("300000");
    expect((await readFile(join(receiver.uploadDir, "photo.jpg"))).equals(content)).toBe(true);
    await saveScreenshot(page, APP_DIR, "file-upload.png");
  });

  it("shows the server's refusal of a file over the size limit", async () => {
    const page = await browser.newPage();
    await page.goto(`${receiver.url}/`);
    await page.setInputFiles("#put-form input[name=file]", { name: "huge.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(1024 * 1024 + 1) });
    await page.click("#put-form button");
    await page.waitForFunction(() => document.getElementById("put-status")!.textContent!.startsWith("Refused"));
    expect(await page.textContent("#put-status")).toBe("Refused: 413 Request Entity Too Large");
    expect(await receiver.files()).not.toContain("huge.bin");
    // Chromium logs the refused request; that one console error is expected, and taken out.
    expect(browser.session.errors.splice(0)).toEqual([
      `${receiver.url}/: Failed to load resource: the server responded with a status of 413 (Request Entity Too Large)`,
    ]);
  });
});
