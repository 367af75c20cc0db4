/**
 * One settled `Promise<void>` shared by every package for "nothing to wait for" (a write the
 * socket took at once, a close that already happened). Sharing one object saves an allocation
 * per call and lets a caller recognise it by identity: web's response skips attaching a
 * rejection handler to it, which would queue a microtask per request for nothing.
 */
export const RESOLVED: Promise<void> = Promise.resolve();
