// The seed example from the root README, with Tornado's options as a Tornado main.py has them:
//   node dist/main.js --port=8000 --debug   (--debug restarts on a change to the source)
import { Application, RequestHandler, IOLoop, define, parseCommandLine } from "@tornado/tornado";

const options = define("port", { default: 8888, help: "run on the given port" })
  .define("debug", { default: false, help: "restart when a source file changes" });

class MainHandler extends RequestHandler { get() { this.write("Hello, Tornado!"); } }

parseCommandLine();
const app = new Application([["/", MainHandler]], { debug: options.debug });
// Not awaited, as in Tornado's main.py; a failure to listen still ends the process (unhandled rejection).
void app.listen(options.port);
void IOLoop.current().start();
