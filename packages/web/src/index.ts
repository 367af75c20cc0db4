/**
 * @tornado/web (under construction).
 */
export const PACKAGE_NAME = "@tornado/web";
