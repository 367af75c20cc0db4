/**
 * @tornado/escape (under construction).
 */
export { brandError } from "./brand-error";
