import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { dispositionName } from "../src/file-uploader";

// The receiver and the uploader as `pnpm start` and `pnpm upload` run them: the built files.
const DIST = join(__dirname, "..", "dist");

function run(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [join(DIST, script), ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve)); // "close": all output read
  return { child, exited, output: () => ({ stdout, stderr }) };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "file-upload-cli-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("the uploader POSTs and PUTs to the receiver started on PORT, which stores the PUT files", async () => {
  const receiver = run("main.js", [`--upload_dir=${join(dir, "uploads")}`], { PORT: "0" });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      receiver.child.stderr.on("data", () => {
        const match = /file upload on (http:\/\/\S+)\//.exec(receiver.output().stderr);
        if (match) resolve(match[1]);
      });
      void receiver.exited.then((code) => reject(new Error(`receiver exited with ${code}: ${receiver.output().stderr}`)));
    });
    await writeFile(join(dir, "a.txt"), "alpha\n");
    await writeFile(join(dir, "b.json"), "{}");

    const post = run("file-uploader.js", [`--url=${url}`, join(dir, "a.txt"), join(dir, "b.json")]);
    expect(await post.exited).toBe(0);
    expect(JSON.parse(post.output().stdout.replace(/^200 OK /, ""))).toEqual({
      files: [
        { field: "a.txt", filename: "a.txt", contentType: "text/plain", size: 6 },
        { field: "b.json", filename: "b.json", contentType: "application/json", size: 2 },
      ],
    });

    const put = run("file-uploader.js", ["--put", `--url=${url}`, join(dir, "a.txt"), join(dir, "b.json")]);
    expect(await put.exited).toBe(0);
    expect(put.output().stdout).toBe(
      '201 Created {"name":"a.txt","size":6,"contentType":"text/plain"}\n' +
        '201 Created {"name":"b.json","size":2,"contentType":"application/json"}\n',
    );
    expect(await readFile(join(dir, "uploads", "a.txt"), "utf8")).toBe("alpha\n");
    expect(receiver.output().stderr).toContain('PUT "b.json" "application/json" 2 bytes');
  } finally {
    receiver.child.kill("SIGTERM");
    expect(await receiver.exited).toBe(0);
  }
});

it("the uploader without files says what to give it and exits 1", async () => {
  const uploader = run("file-uploader.js", []);
  expect(await uploader.exited).toBe(1);
  expect(uploader.output().stderr).toContain("Provide a list of filenames to upload.");
});

// Tornado's parse_command_line in both programs: --help lists the options and exits 0; a bad
// option is an OptionsError naming it (after the help, for an unknown one), exit status 1.
it.each([
  ["main.js", ["--help"], {}, 0, "--max-file-size"],
  ["main.js", ["--max_file_size=lots"], {}, 1, 'OptionsError: Option "max_file_size": invalid integer: "lots"'],
  ["main.js", [], { PORT: "http" }, 1, 'OptionsError: environment variable PORT: Option "port": invalid integer: "http"'],
  ["file-uploader.js", ["--help"], {}, 0, "--put"],
  ["file-uploader.js", ["--nope", "a.txt"], {}, 1, 'Unrecognized command line option: "nope"'],
])("%s %j %j: exit status %d, %j", async (script, args, env, status, message) => {
  const program = run(script, args, env);
  expect(await program.exited).toBe(status);
  expect(program.output().stderr).toContain(message);
});

it("escapes quotes and line breaks in multipart file names as browsers do", () => {
  expect(dispositionName('a "quoted"\r\nname.txt')).toBe("a %22quoted%22%0D%0Aname.txt");
});
