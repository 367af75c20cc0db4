import { connect } from "node:net";
import { createSignedValue, decodeSignedValue } from "@tornado/tornado";
import { BAD_LOGIN } from "../src/handlers/auth-handlers";
import { SESSION_COOKIE } from "../src/handlers/base-handler";
import { AUTHOR, SECRET, useBlog } from "./helpers/blog-fixture";
import { describeEachDatabase } from "./helpers/databases";

describeEachDatabase("authors, logins and sessions", (backend) => {
  const blog = useBlog(backend);

  it("with no author yet, / leads to /compose, the login page, then the author form", async () => {
    const visitor = blog.visitor();
    expect((await visitor.get("/")).location).toBe("/compose");
    expect((await visitor.get("/compose")).location).toBe("/auth/login?next=%2Fcompose");
    expect((await visitor.get("/auth/login?next=%2Fcompose")).location).toBe("/auth/create?next=%2Fcompose");
    const form = await visitor.get("/auth/create?next=%2Fcompose");
    expect(form.status).toBe(200);
    expect(form.text).toContain('<form action="/auth/create" method="post"');
  });

  it("creates the first author with an argon2id hash, logs them in and goes to next", async () => {
    const visitor = blog.visitor();
    const created = await visitor.post("/auth/create", { ...AUTHOR, email: " Ada@Example.COM ", next: "/compose" });
    expect(created.status).toBe(302);
    expect(created.location).toBe("/compose");
    const [author] = await blog.db.query<{ email: string; name: string; hashed_password: string }>("SELECT * FROM authors");
    expect(author.email).toBe("ada@example.com");
    expect(author.name).toBe("Ada");
    expect(author.hashed_password).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(author.hashed_password).not.toContain(AUTHOR.password);
    expect(await blog.count("sessions")).toBe(1);
    const compose = await visitor.get("/compose");
    expect(compose.status).toBe(200);
    expect(compose.text).toContain("Publish post");
  });

  it("refuses a second author: the form redirects to login, a POST is 403 and adds nobody", async () => {
    await blog.signUp();
    const stranger = blog.visitor();
    expect((await stranger.get("/auth/create")).location).toBe("/auth/login?next=%2F");
    const refused = await stranger.post("/auth/create", { email: "eve@example.com", name: "Eve", password: "another password" });
    expect(refused.status).toBe(403);
    expect(await blog.count("authors")).toBe(1);
    expect(await blog.count("sessions")).toBe(1);
  });

  it("lets exactly one of two racing first-author requests through", async () => {
    const [first, second] = [blog.visitor(), blog.visitor()];
    await Promise.all([first.get("/auth/logout"), second.get("/auth/logout")]); // XSRF cookies
    const answers = await Promise.all([
      first.post("/auth/create", { ...AUTHOR }),
      second.post("/auth/create", { email: "eve@example.com", name: "Eve", password: "another password" }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([302, 403]);
    expect(await blog.count("authors")).toBe(1);
  });

  it("answers an unknown email and a wrong password the same way, and logs nobody in", async () => {
    await blog.signUp();
    const visitor = blog.visitor();
    const unknown = await visitor.post("/auth/login", { email: "nobody@example.com", password: AUTHOR.password });
    const wrong = await visitor.post("/auth/login", { email: AUTHOR.email, password: "not the password" });
    for (const answer of [unknown, wrong]) {
      expect(answer.status).toBe(403);
      expect(answer.text).toContain(`<p class="error">${BAD_LOGIN}</p>`);
    }
    const withoutEcho = (text: string) => text.replace(/value="[^"]*"/g, "");
    expect(withoutEcho(unknown.text)).toBe(withoutEcho(wrong.text));
    expect(visitor.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await blog.count("sessions")).toBe(1);
  });

  it("refuses oversized login fields like a wrong password", async () => {
    await blog.signUp();
    const visitor = blog.visitor();
    for (const fields of [
      { email: AUTHOR.email, password: "x".repeat(1025) },
      { email: `${"a".repeat(200)}@example.com`, password: AUTHOR.password },
    ]) {
      const answer = await visitor.post("/auth/login", fields);
      expect(answer.status).toBe(403);
      expect(answer.text).toContain(BAD_LOGIN);
    }
    expect(await blog.count("sessions")).toBe(1);
  });

  it("logs in with the right password and rotates the session: a cookie planted before login is dead after it", async () => {
    await blog.signUp();
    // The attacker logs in (or obtains any session cookie) and plants it in the victim's browser.
    const attacker = blog.visitor();
    expect((await attacker.post("/auth/login", { email: AUTHOR.email, password: AUTHOR.password })).status).toBe(302);
    const planted = attacker.cookies.get(SESSION_COOKIE)!;
    const victim = blog.visitor();
    victim.cookies.set(SESSION_COOKIE, planted);
    const login = await victim.post("/auth/login", { email: AUTHOR.email, password: AUTHOR.password, next: "/archive" });
    expect(login.status).toBe(302);
    expect(login.location).toBe("/archive");
    expect(victim.cookies.get(SESSION_COOKIE)).not.toBe(planted);
    expect((await victim.get("/compose")).status).toBe(200);
    // The planted session ended at the victim's login: whoever holds it is logged out.
    expect((await attacker.get("/compose")).status).toBe(302);
  });

  it("does not log in with a well-signed cookie for a session the server never started", async () => {
    await blog.signUp();
    const forger = blog.visitor();
    const value = createSignedValue(SECRET, SESSION_COOKIE, "made-up-token").toString();
    forger.cookies.set(SESSION_COOKIE, `"${value}"`);
    expect((await forger.get("/compose")).status).toBe(302);
    // Tornado's demo signs the author id itself: the same cookie with "1" in it.
    const byId = createSignedValue(SECRET, SESSION_COOKIE, "1").toString();
    forger.cookies.set(SESSION_COOKIE, `"${byId}"`);
    expect((await forger.get("/compose")).status).toBe(302);
  });

  it("ignores a session cookie signed with another secret", async () => {
    const visitor = await blog.signUp();
    const signed = visitor.cookies.get(SESSION_COOKIE)!.replace(/^"|"$/g, "");
    const token = decodeSignedValue(SECRET, SESSION_COOKIE, signed)!.toString();
    const forger = blog.visitor();
    forger.cookies.set(SESSION_COOKIE, `"${createSignedValue("another secret", SESSION_COOKIE, token).toString()}"`);
    expect((await forger.get("/compose")).status).toBe(302);
    forger.cookies.set(SESSION_COOKIE, visitor.cookies.get(SESSION_COOKIE)!);
    expect((await forger.get("/compose")).status).toBe(200);
  });

  it("logs out with a POST: the session row is deleted, so a copy of the cookie stops working", async () => {
    const visitor = await blog.signUp();
    const copy = blog.visitor();
    copy.cookies.set(SESSION_COOKIE, visitor.cookies.get(SESSION_COOKIE)!);
    expect((await copy.get("/compose")).status).toBe(200);
    const confirm = await visitor.get("/auth/logout?next=%2Farchive");
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain('<form action="/auth/logout" method="post"');
    expect((await visitor.get("/compose")).status).toBe(200); // a GET alone logs nobody out
    const out = await visitor.post("/auth/logout", { next: "/archive" });
    expect(out.status).toBe(302);
    expect(out.location).toBe("/archive");
    expect(visitor.cookies.has(SESSION_COOKIE)).toBe(false);
    expect(await blog.count("sessions")).toBe(0);
    expect((await copy.get("/compose")).status).toBe(302);
  });

  it("answers 403 to every form posted without the XSRF token, and changes nothing", async () => {
    const anonymous = blog.visitor();
    expect((await anonymous.post("/auth/create", { ...AUTHOR }, { xsrf: false })).status).toBe(403);
    expect(await blog.count("authors")).toBe(0);
    const visitor = await blog.signUp();
    const sessions = await blog.count("sessions");
    const stranger = blog.visitor();
    expect((await stranger.post("/auth/login", { email: AUTHOR.email, password: AUTHOR.password }, { xsrf: false })).status).toBe(403);
    expect((await visitor.post("/compose", { title: "t", markdown: "m" }, { xsrf: false })).status).toBe(403);
    expect((await visitor.post("/auth/logout", {}, { xsrf: false })).status).toBe(403);
    // A token that does not match the cookie is as good as none.
    const mismatched = await visitor.request("POST", "/compose", {
      body: "title=t&markdown=m&_xsrf=2|00000000|00000000000000000000000000000000|1",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    });
    expect(mismatched.status).toBe(403);
    expect(await blog.count("sessions")).toBe(sessions);
    expect(await blog.count("entries")).toBe(0);
    expect((await visitor.get("/compose")).status).toBe(200);
  });

  it.each([
    ["a missing email", { email: "" }, "Email is required."],
    ["an email over 100 characters", { email: `${"a".repeat(90)}@example.com` }, "Email is too long (at most 100 characters)."],
    ["an email without @", { email: "ada.example.com" }, "Email must look like name@example.com."],
    ["a name over 100 characters", { name: "N".repeat(101) }, "Name is too long (at most 100 characters)."],
    ["a password under 8 characters", { password: "short" }, "Password must have at least 8 characters."],
    ["a password over 1024 characters", { password: "p".repeat(1025) }, "Password is too long (at most 1024 characters)."],
  ])("gives the author form back for %s, keeping the input and saving nothing", async (_case, fields, message) => {
    const visitor = blog.visitor();
    const answer = await visitor.post("/auth/create", { ...AUTHOR, name: "<b>Ada</b>", ...fields });
    expect(answer.status).toBe(400);
    expect(answer.text).toContain(`<p class="error">${message}</p>`);
    if (!("name" in fields)) expect(answer.text).toContain('value="&lt;b&gt;Ada&lt;/b&gt;"');
    expect(answer.text).not.toContain(AUTHOR.password);
    expect(await blog.count("authors")).toBe(0);
  });

  it.each(["//evil.example/", "https://evil.example/", "/\\evil.example", "relative"])(
    "refuses next=%s (an open redirect) with 400 before creating anything",
    async (next) => {
      const visitor = blog.visitor();
      const answer = await visitor.post("/auth/create", { ...AUTHOR, next });
      expect(answer.status).toBe(400);
      expect(await blog.count("authors")).toBe(0);
      expect(await blog.count("sessions")).toBe(0);
    },
  );

  it("answers 413 to a body over 2 MiB, before reading it", async () => {
    const socket = connect(blog.server.port, "127.0.0.1");
    socket.write(
      "POST /auth/create HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
        `Content-Length: ${2 * 1024 * 1024 + 1}\r\n\r\n`,
    );
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
    await new Promise((resolve) => socket.once("close", resolve));
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(await blog.count("authors")).toBe(0);
  });
});
