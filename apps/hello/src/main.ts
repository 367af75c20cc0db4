// The seed example from the root README, exactly as written there.
import { Application, RequestHandler, IOLoop } from "@tornado/tornado";
class MainHandler extends RequestHandler { get() { this.write("Hello, Tornado!"); } }
const app = new Application([["/", MainHandler]]);
app.listen(8888);
IOLoop.current().start();
