/** The version sent in the `Server` header. */
export const VERSION = "0.0.0";

/** `Server: TornadoServer/<version>`, as Tornado sends it. */
export const SERVER_HEADER = `TornadoServer/${VERSION}`;
