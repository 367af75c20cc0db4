/**
 * @tornado/template (under construction).
 */
export const PACKAGE_NAME = "@tornado/template";
