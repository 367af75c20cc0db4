import * as tornado from "@tornado/tornado";
import * as auth from "@tornado/auth";
import * as escape from "@tornado/escape";
import * as httpclient from "@tornado/httpclient";
import * as httpserver from "@tornado/httpserver";
import * as httputil from "@tornado/httputil";
import * as ioloop from "@tornado/ioloop";
import * as template from "@tornado/template";
import * as testing from "@tornado/testing";
import * as web from "@tornado/web";
import * as websocket from "@tornado/websocket";
import * as pubsub from "@tornado/pubsub";

const PACKAGES: Record<string, object> = { escape, ioloop, httputil, httpserver, httpclient, template, web, websocket, pubsub, auth, testing };

describe("@tornado/tornado", () => {
  it.each(Object.keys(PACKAGES))("re-exports @tornado/%s as a namespace", (name) => {
    const namespace = (tornado as unknown as Record<string, object>)[name];
    expect(Object.keys(namespace).sort()).toEqual(Object.keys(PACKAGES[name]).sort());
  });

  it("re-exports every flat name, the same object as in its home package", () => {
    for (const [name, module] of Object.entries(PACKAGES)) {
      for (const [exportName, value] of Object.entries(module)) {
        expect({ name, exportName, same: (tornado as Record<string, unknown>)[exportName] === value }).toEqual({
          name,
          exportName,
          same: true,
        });
      }
    }
  });

  it("has no name exported by two packages (a clash would hide one of them)", () => {
    const homes = new Map<string, string[]>();
    for (const [name, module] of Object.entries(PACKAGES)) {
      for (const exportName of Object.keys(module)) homes.set(exportName, [...(homes.get(exportName) ?? []), name]);
    }
    expect([...homes].filter(([, owners]) => owners.length > 1)).toEqual([]);
  });
});
