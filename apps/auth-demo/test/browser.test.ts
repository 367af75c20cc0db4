// A person in headless Chromium: the home page's button, the local provider's sign-in form,
// the claims, the @authenticated profile, and logout through the provider's confirmation;
// any page error (a CSP refusal included) fails the test. It takes the README's screenshots.
import { join } from "node:path";
import { describeWithBrowser, saveScreenshot, useBrowser } from "@tornado-apps/browser-testing";
import { useAuthDemo } from "./helpers/demo-fixture";

const APP_DIR = join(__dirname, "..");

describeWithBrowser("the auth demo in Chromium", () => {
  const demo = useAuthDemo();
  const browser = useBrowser();

  it("logs in with the demo user through the local provider, shows the claims and the profile, and logs out", async () => {
    const page = await browser.newPage();
    await page.goto(`${demo().url}/`);
    expect(await page.textContent("#demo-login")).toMatch(/alice.*wonderland/s);
    await saveScreenshot(page, APP_DIR, "auth-demo-login.png");

    // The provider's sign-in page; a wrong password first.
    await Promise.all([page.waitForURL(`${demo().issuer}/interaction/**`), page.click("#login-oidc")]);
    await saveScreenshot(page, APP_DIR, "auth-demo-provider.png");
    await page.fill("#login", "alice");
    await page.fill("#password", "wrong");
    await Promise.all([page.waitForURL(`${demo().issuer}/interaction/**`), page.click("button[type=submit]:has-text('Sign in')")]);
    expect(await page.textContent(".error")).toBe("Wrong user name or password.");
    // Chromium logs the 401 as a console error: that one is expected, and the only one.
    expect(browser.session.errors.splice(0)).toEqual([expect.stringMatching(/\/login: Failed to load resource: .* 401 \(Unauthorized\)$/)]);
    await page.fill("#password", "wonderland");
    await Promise.all([page.waitForURL(`${demo().url}/`), page.click("button[type=submit]:has-text('Sign in')")]);

    // Back home with the claims.
    expect(await page.textContent("h1")).toBe("Hello, Alice Liddell");
    expect(await page.textContent("#login-provider")).toBe("OpenID Connect");
    expect(await page.locator("table.claims td", { hasText: "alice@example.test" }).count()).toBe(1);
    await saveScreenshot(page, APP_DIR, "auth-demo.png"); // the README's picture

    await Promise.all([page.waitForURL(`${demo().url}/profile`), page.click("a:has-text('Your profile page')")]);
    expect(await page.textContent("#profile-name")).toBe("Alice Liddell");

    // Log out from the header; the provider asks, yes brings us home logged out.
    await Promise.all([page.waitForURL(`${demo().issuer}/session/end**`), page.click("#logout")]);
    await Promise.all([page.waitForURL(`${demo().url}/`), page.click("button:has-text('Yes, sign me out')")]);
    expect(await page.textContent("h1")).toBe("Log in");
    expect((await page.context().cookies(demo().url)).map((cookie) => cookie.name)).not.toContain("authdemo_session");

    // The provider's session ended too: the next login asks for the password again.
    await Promise.all([page.waitForURL(`${demo().issuer}/interaction/**`), page.click("#login-oidc")]);
    expect(await page.locator("#password").count()).toBe(1);
  });
});
