/**
 * @tornado/tornado (under construction).
 */
export const PACKAGE_NAME = "@tornado/tornado";
