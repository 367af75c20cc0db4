// Every package README that shows `npm install @tornado/...` also says how to get the package
// today, while it is not on the registry: the scaffold (create-app) and its tarballs.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { workspacePackages } from "create-tornado";

const REPO_ROOT = join(__dirname, "..", "..", "..");
const readmes = workspacePackages(REPO_ROOT)
  .map((item) => ({ name: item.name, readme: readFileSync(join(item.directory, "README.md"), "utf8") }))
  .filter((entry) => entry.readme.includes("npm install"));

describe("package READMEs", () => {
  it("include those of the core packages", () => {
    expect(readmes.map((entry) => entry.name)).toEqual(expect.arrayContaining(["@tornado/web", "@tornado/tornado", "@tornado/util"]));
  });

  it.each(readmes.map((entry) => entry.name))("%s says how to install it today, before the npm install line", (name) => {
    const { readme } = readmes.find((entry) => entry.name === name)!;
    const before = readme.slice(0, readme.indexOf("npm install"));
    expect({ name, today: before.includes("npx -y pnpm@10 create-app") && before.includes("README.md#your-own-app-in-five-minutes") }).toEqual({
      name,
      today: true,
    });
  });
});
