/**
 * @tornado/testing (under construction).
 */
export const PACKAGE_NAME = "@tornado/testing";
