/**
 * The `autoreload` namespace of @tornado/ioloop: Tornado's module-level functions keep their
 * names (`autoreload.start()`, `autoreload.watch(path)`), which would be too generic flat.
 *
 * Tornado: tornado.autoreload.
 */
export { addReloadHook, isStarted, reload, start, stop, wait, watch, watchedFiles, RESTART_EXIT_CODE } from "./autoreload";
