/**
 * @tornado/auth (under construction).
 */
export const PACKAGE_NAME = "@tornado/auth";
