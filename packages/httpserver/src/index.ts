/**
 * @tornado/httpserver (under construction).
 */
export const PACKAGE_NAME = "@tornado/httpserver";
