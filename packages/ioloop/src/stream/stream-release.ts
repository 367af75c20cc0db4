/**
 * Lets whoever tracks a stream (TCPServer) hear when the stream hands its socket to another
 * owner with detach() (an HTTP upgrade), so that it stops holding the spent stream for the
 * socket's lifetime. Internal to @tornado/ioloop: not exported from index.ts.
 */

const detachCallbacks = new WeakMap<object, () => void>();

/** Calls `callback` once, when `stream` is detached. */
export function onStreamDetached(stream: object, callback: () => void): void {
  detachCallbacks.set(stream, callback);
}

/** Called by IOStream.detach(). */
export function notifyStreamDetached(stream: object): void {
  const callback = detachCallbacks.get(stream);
  if (callback === undefined) return;
  detachCallbacks.delete(stream);
  callback();
}
