import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, CreateArgumentError, parseArguments, TargetNotEmptyError } from "create-tornado";

describe("createApp's checks (before anything is packed)", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "create-tornado-unit-"));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("refuses a folder that is not empty", () => {
    writeFileSync(join(directory, "notes.txt"), "mine");
    expect(() => createApp({ directory })).toThrow(TargetNotEmptyError);
    expect(() => createApp({ directory })).toThrow(`${directory} exists and is not empty`);
  });

  it("refuses --update where there is no app", () => {
    expect(() => createApp({ directory, update: true })).toThrow(CreateArgumentError);
  });

  it("resolves a relative folder against cwd (the folder where the command was typed)", () => {
    writeFileSync(join(directory, "notes.txt"), "");
    expect(() => createApp({ directory: "..", cwd: join(directory, "sub") })).toThrow(TargetNotEmptyError);
    expect(() => createApp({ directory: "notes.txt", cwd: directory })).toThrow(`${join(directory, "notes.txt")} exists and is not a folder`);
  });

  it("needs a directory", () => {
    expect(() => createApp({} as never)).toThrow(CreateArgumentError);
  });
});

describe("parseArguments", () => {
  it("takes one folder and --update", () => {
    expect(parseArguments(["my-app"])).toEqual({ directory: "my-app", update: false });
    expect(parseArguments(["--update", "../app"])).toEqual({ directory: "../app", update: true });
  });

  it.each([[[]], [["a", "b"]], [["--force", "a"]]])("refuses %j with the usage", (argv) => {
    expect(() => parseArguments(argv)).toThrow(/usage: create-tornado <folder> \[--update\]/);
  });
});
