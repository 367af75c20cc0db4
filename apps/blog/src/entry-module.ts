import { UIModule } from "@tornado/tornado";
import type { Entry } from "./entries";

/** `{% module Entry(entry) %}`: one entry, on the home page and its own page. Tornado's demo: EntryModule. */
export class EntryModule extends UIModule {
  override render(entry: Entry): string {
    return this.renderString("modules/entry.html", { entry });
  }
}
